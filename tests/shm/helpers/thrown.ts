/** The error `fn` throws (fails the test when it does not throw), for asserting on the exact message. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an exception");
}
