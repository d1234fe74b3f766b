// The one error type for unreadable generated/ files: the message always starts with the file path.

export class GeneratedFileError extends Error {
  override readonly name = "GeneratedFileError";
  /** Path of the offending file as given to the loader. */
  readonly file: string;
  /** Why: truncated | corrupted | newer_version | bad_magic | mismatch | missing | invalid */
  readonly reason: GeneratedErrorReason;
  constructor(file: string, reason: GeneratedErrorReason, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
    this.reason = reason;
  }
}

export type GeneratedErrorReason =
  | "missing"
  | "truncated"
  | "corrupted"
  | "bad_magic"
  | "newer_version"
  | "unsupported_version"
  | "invalid"
  | "mismatch";
