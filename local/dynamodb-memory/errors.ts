// An error DynamoDB answers with: its wire name (the SDK raises the class of that name) and the fields it carries.
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly fields: Record<string, unknown> = {},
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export const validation = (message: string) => new DynamoError('ValidationException', message);
