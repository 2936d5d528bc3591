// Stream records of user profiles, as the table's stream hands them to assignUsageKeys (NEW_AND_OLD_IMAGES, filtered).
import type { DynamoDBStreamEvent } from 'aws-lambda';

let sequence = 1000;

export function profileRecord(userId: string, role = 'reseller', eventName: 'INSERT' | 'MODIFY' = 'MODIFY'): DynamoDBStreamEvent['Records'][number] {
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(++sequence),
      Keys: { pk: { S: `USER#${userId}` }, sk: { S: 'PROFILE' } },
      NewImage: { pk: { S: `USER#${userId}` }, sk: { S: 'PROFILE' }, entity: { S: 'user' }, id: { S: userId }, role: { S: role } },
    },
  };
}

export const streamEvent = (...records: DynamoDBStreamEvent['Records']): DynamoDBStreamEvent => ({ Records: records });
