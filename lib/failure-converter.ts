// Failure messages and stack traces travel as an encoded payload instead of in clear, so the
// payload codec encrypts them like any other payload: a carrier's error text can quote the
// customer's address or name. Loaded by path (payloadDataConverter's failureConverterPath) in the
// workers and clients, and bundled into the workflow code, so failures a workflow throws are
// encoded too. Readers of older histories still see clear failures: decoding takes either.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
