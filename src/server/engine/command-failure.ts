/** A command the server refuses: the workflow task fails with `failureCause` and the worker gets INVALID_ARGUMENT. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(
    readonly failureCause: number,
    message: string,
  ) {
    super(message);
  }
}
