// Where a JSON text goes wrong, as line and column: JSON.parse's own message
// rarely says (Bun: "JSON Parse error: Unexpected identifier \"not\"", V8:
// "Unexpected token 'n', ..."), and a hand-edited client.conf needs the spot.
// A strict RFC 8259 scanner that stops at the first error; it only runs after
// JSON.parse failed, so it need not be fast.

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in characters of that line. */
  column: number;
  message: string;
}

class Fail {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

/** The first syntax error of `text`, or null when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new Fail(at, message);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const what = () => (i >= text.length ? "end of text" : `'${text[i]}'`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${what()}: expected a value`);
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("bad \\u escape: expected 4 hex digits");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`bad escape '\\${e ?? ""}' in a string`);
        continue;
      }
      if (c < " ") fail(c === "\n" ? "unterminated string (a line break inside it)" : "control character in a string");
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") fail(`unexpected ${what()}: expected a value`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail("nested too deeply");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${what()}: expected a key in double quotes${text[i] === "}" ? " (a trailing comma before '}' is not JSON)" : ""}`);
        string();
        ws();
        if (text[i] !== ":") fail(`unexpected ${what()}: expected ':' after the key`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`unexpected ${what()}: expected ',' or '}' after a value`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        if (text[i] === "]") fail("unexpected ']': a trailing comma before ']' is not JSON");
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`unexpected ${what()}: expected ',' or ']' after a value`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail(`unexpected ${what()}: expected a value`);
  };
  try {
    // A byte-order mark is not JSON either, but editors write one: JSON.parse refuses it, so say so.
    if (text.charCodeAt(0) === 0xfeff) fail("a byte-order mark (U+FEFF) before the value");
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${what()} after the value`);
    return null;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { ...position(text, e.at), message: e.message };
  }
}

function position(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < at && k < text.length; k++)
    if (text[k] === "\n") {
      line++;
      start = k + 1;
    }
  return { line, column: at - start + 1 };
}
