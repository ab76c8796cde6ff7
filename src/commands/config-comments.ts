// The doc comments of a zod schema's keys, read from its source text: the
// comments are the reference's prose (docs/config.md), and zod itself keeps
// none of them. A small scanner, enough for src/config/*.ts: it skips strings,
// template literals and regex literals, tracks `z.object({`/`z.strictObject({`
// literals, and gives each key the `/** ... */` right before it, the
// `// --- heading ---` line before it, and the schema constant its value
// starts with (`scaler: ScalerSchema.default(...)`), or its inline object's keys.

export interface KeyDoc {
  doc?: string;
  /** A `// --- text ---` comment just before the key: the group of keys it starts. */
  heading?: string;
  /** The identifier the value starts with (`ScalerSchema`), when it is not `z`. */
  ref?: string;
  /** The keys of an object literal in the value (`pool: z.strictObject({ ... })`). */
  children?: Map<string, KeyDoc>;
}

/** `/** a\n * b *\/` -> "a b"; a blank line inside stays a paragraph break. */
function cleanDoc(raw: string): string {
  return raw
    .replace(/^\/\*\*/, "")
    .replace(/\*\/$/, "")
    .split("\n")
    .map((l) => l.replace(/^\s*\*( |$)/, "").trim())
    .join("\n")
    .trim()
    .replace(/\n{2,}/g, "\u0000")
    .replace(/\n/g, " ")
    .replace(/\u0000/g, "\n\n");
}

interface Frame {
  /** Keys of a schema object literal; null for any other `{` (a function body, a plain object). */
  props: Map<string, KeyDoc> | null;
  expectKey: boolean;
  current?: KeyDoc;
  awaitRef: boolean;
  /** ( and [ open inside this frame: a comma inside them does not end a value. */
  nest: number;
}

const SCHEMA_OPEN = /\b(?:strictObject|object|looseObject)\(\s*$/;
const NAMED_OPEN = /\bconst\s+(\w+)\s*=\s*z\s*\.\s*(?:strictObject|object|looseObject)\(\s*$/;
/** After these a `/` starts a regex literal, not a division. */
const BEFORE_REGEX = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", undefined]);

/** Schema constant name -> its keys' docs (in source order). */
export function schemaComments(src: string): Map<string, Map<string, KeyDoc>> {
  const out = new Map<string, Map<string, KeyDoc>>();
  const stack: Frame[] = [];
  let pendingDoc: string | undefined;
  let pendingHeading: string | undefined;
  let last: string | undefined;
  let i = 0;
  const top = () => stack[stack.length - 1];
  const skipString = (q: string) => {
    for (i++; i < src.length && src[i] !== q; i++) if (src[i] === "\\") i++;
    i++;
  };
  const skipTemplate = () => {
    for (i++; i < src.length && src[i] !== "`"; i++) {
      if (src[i] === "\\") i++;
      else if (src[i] === "$" && src[i + 1] === "{") {
        let depth = 0;
        for (i++; i < src.length; i++) {
          if (src[i] === "{") depth++;
          else if (src[i] === "}" && --depth === 0) break;
          else if (src[i] === '"' || src[i] === "'") {
            skipString(src[i]!);
            i--;
          }
        }
      }
    }
    i++;
  };
  const skipRegex = () => {
    let cls = false;
    for (i++; i < src.length; i++) {
      const c = src[i];
      if (c === "\\") i++;
      else if (c === "[") cls = true;
      else if (c === "]") cls = false;
      else if (c === "/" && !cls) break;
    }
    for (i++; i < src.length && /[a-z]/.test(src[i]!); i++);
  };

  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      const line = src.slice(i, end < 0 ? src.length : end);
      const h = /^\/\/\s*---\s*(.*?)\s*---/.exec(line);
      if (h) pendingHeading = h[1];
      i = end < 0 ? src.length : end;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2) + 2;
      if (src[i + 2] === "*") pendingDoc = cleanDoc(src.slice(i, end));
      i = end;
      continue;
    }
    const f = top();
    if (c === '"' || c === "'") {
      skipString(c);
      last = c;
      pendingDoc = undefined;
      if (f && f.nest === 0) f.expectKey = false;
      continue;
    }
    if (c === "`") {
      skipTemplate();
      last = c;
      pendingDoc = undefined;
      continue;
    }
    if (c === "/" && BEFORE_REGEX.has(last)) {
      skipRegex();
      last = "/";
      pendingDoc = undefined;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i, i + 200))!;
      const word = m[0];
      i += word.length;
      let j = i;
      while (/\s/.test(src[j] ?? "")) j++;
      if (f?.props && f.expectKey && f.nest === 0 && src[j] === ":") {
        const kd: KeyDoc = {};
        if (pendingDoc) kd.doc = pendingDoc;
        if (pendingHeading) kd.heading = pendingHeading;
        f.props.set(word, kd);
        f.current = kd;
        f.expectKey = false;
        f.awaitRef = true;
        i = j + 1;
        last = ":";
      } else {
        if (f?.awaitRef && f.current) {
          if (word !== "z") f.current.ref = word;
          f.awaitRef = false;
        }
        last = "a";
      }
      pendingDoc = undefined;
      pendingHeading = undefined;
      continue;
    }
    pendingDoc = undefined;
    if (c === "{") {
      const before = src.slice(Math.max(0, i - 200), i);
      const schema = SCHEMA_OPEN.test(before);
      const frame: Frame = { props: schema ? new Map() : null, expectKey: true, awaitRef: false, nest: 0 };
      if (schema) {
        const owner = [...stack].reverse().find((s) => s.props);
        if (owner?.current) owner.current.children = frame.props!;
        else {
          const named = NAMED_OPEN.exec(before);
          if (named) out.set(named[1]!, frame.props!);
        }
      }
      if (f) f.awaitRef = false;
      stack.push(frame);
    } else if (c === "}") stack.pop();
    else if (f) {
      if (c === "(" || c === "[") f.nest++;
      else if (c === ")" || c === "]") f.nest--;
      else if (c === "," && f.nest === 0) {
        f.expectKey = true;
        f.current = undefined;
      }
      if (c !== "." && c !== "(") f.awaitRef = false;
    }
    last = c;
    i++;
  }
  return out;
}
