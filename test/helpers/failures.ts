import { ApplicationFailure } from '@temporalio/activity';

/** The ApplicationFailure a call ends with (fails the test if it succeeds or throws something else). */
export async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(ApplicationFailure);
  return outcome as ApplicationFailure;
}
