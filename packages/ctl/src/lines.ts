// Text lines of a child's output or of stdin, as they arrive: the one splitter behind `spread-ctl parse` and the
// launcher's waitForLine.

/** Streams lines from a readable byte stream, splitting on \n (handles \r\n). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      yield line.endsWith("\r") ? line.slice(0, -1) : line;
    }
  }
  buf += decoder.decode();
  if (buf.length) yield buf.endsWith("\r") ? buf.slice(0, -1) : buf;
}
