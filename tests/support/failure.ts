// The error a call fails with, for assertions on its class and fields; a call that succeeds fails the test.
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the request to fail');
}
