/**
 * The search query language, parsed once into an AST that each engine translates.
 *
 * Words are ANDed; `OR`, `AND`, `NOT` (upper case) and `-word` combine them, `"…"` is an exact
 * phrase and parentheses group. Anything malformed (unbalanced quotes or parentheses, a lone
 * operator) degrades to the plain words of the query: a search box never answers with an error.
 */
export type QueryNode =
  | { kind: 'term'; word: string; prefix: boolean }
  | { kind: 'phrase'; words: string[] }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

/** Terms beyond this are dropped: a pasted essay must not turn into a query of thousands of clauses. */
export const MAX_TERMS = 32;

type Token =
  | { type: 'word'; text: string; end: number }
  | { type: 'phrase'; text: string; end: number }
  | { type: 'and' | 'or' | 'not' | 'minus' | 'lparen' | 'rparen'; text: string; end: number };

const WORD_CHARS = /[\p{L}\p{N}]+/gu;

/** Lower-cased letter/digit runs: the same words the `simple` configuration and `standard` analyzer see. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD_CHARS) ?? []).slice(0, MAX_TERMS);
}

/** Typo tolerance: one edit for words of 4–7 letters, two beyond, none below (ES `AUTO:4,8`). */
export function maxEdits(word: string): 0 | 1 | 2 {
  const n = [...word].length;
  return n < 4 ? 0 : n <= 7 ? 1 : 2;
}

function tokenize(input: string): { tokens: Token[]; balancedQuotes: boolean } {
  const tokens: Token[] = [];
  const quotes = (input.match(/"/g) ?? []).length;
  const balancedQuotes = quotes % 2 === 0;
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'lparen' : 'rparen', text: c, end: i + 1 });
      i++;
    } else if (c === '"') {
      const close = input.indexOf('"', i + 1);
      if (close < 0 || !balancedQuotes) {
        i++; // an unmatched quote is ignored; what follows is plain words
      } else {
        tokens.push({ type: 'phrase', text: input.slice(i + 1, close), end: close + 1 });
        i = close + 1;
      }
    } else if (c === '-' && i + 1 < input.length && !/[\s()-]/.test(input[i + 1])) {
      tokens.push({ type: 'minus', text: '-', end: i + 1 });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s()"]/.test(input[j])) j++;
      const text = input.slice(i, j);
      const op = text === 'AND' ? 'and' : text === 'OR' ? 'or' : text === 'NOT' ? 'not' : null;
      tokens.push(op ? { type: op, text, end: j } : { type: 'word', text, end: j });
      i = j;
    }
  }
  return { tokens, balancedQuotes };
}

class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode | null {
    const node = this.or();
    if (this.pos < this.tokens.length) throw new ParseError('unexpected token');
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private or(): QueryNode | null {
    const children = [this.and()];
    while (this.peek()?.type === 'or') {
      this.pos++;
      if (!this.peek() || this.peek()!.type === 'rparen' || this.peek()!.type === 'or')
        throw new ParseError('OR needs a right side');
      children.push(this.and());
    }
    return combine('or', children);
  }

  private and(): QueryNode | null {
    const children: Array<QueryNode | null> = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.type === 'rparen' || t.type === 'or') break;
      if (t.type === 'and') {
        if (!children.length) throw new ParseError('AND needs a left side');
        this.pos++;
        const next = this.peek();
        if (!next || next.type === 'rparen' || next.type === 'or' || next.type === 'and')
          throw new ParseError('AND needs a right side');
        continue;
      }
      children.push(this.unary());
    }
    if (!children.length) throw new ParseError('empty group');
    return combine('and', children);
  }

  private unary(): QueryNode | null {
    const t = this.peek()!;
    if (t.type === 'not' || t.type === 'minus') {
      this.pos++;
      const next = this.peek();
      if (!next || next.type === 'rparen' || next.type === 'or' || next.type === 'and')
        throw new ParseError('NOT needs an operand');
      const child = this.unary();
      return child ? { kind: 'not', child: stripPrefix(child) } : null;
    }
    return this.primary();
  }

  private primary(): QueryNode | null {
    const t = this.tokens[this.pos++];
    if (t.type === 'lparen') {
      const inner = this.or();
      if (this.peek()?.type !== 'rparen') throw new ParseError('unbalanced parenthesis');
      this.pos++;
      return inner;
    }
    if (t.type === 'phrase') return phrase(words(t.text));
    if (t.type === 'word') return wordNode(t.text, false);
    throw new ParseError(`unexpected ${t.text}`);
  }
}

function wordNode(text: string, prefix: boolean): QueryNode | null {
  const parts = words(text);
  if (parts.length === 1) return { kind: 'term', word: parts[0], prefix };
  return phrase(parts); // "e-mail", "gpt4.1": the parts next to each other
}

function phrase(parts: string[]): QueryNode | null {
  if (!parts.length) return null;
  if (parts.length === 1) return { kind: 'term', word: parts[0], prefix: false };
  return { kind: 'phrase', words: parts };
}

function stripPrefix(node: QueryNode): QueryNode {
  switch (node.kind) {
    case 'term':
      return { ...node, prefix: false };
    case 'phrase':
      return node;
    case 'not':
      return { kind: 'not', child: stripPrefix(node.child) };
    default:
      return { kind: node.kind, children: node.children.map(stripPrefix) };
  }
}

function combine(kind: 'and' | 'or', children: Array<QueryNode | null>): QueryNode | null {
  const present = children.filter((c): c is QueryNode => c !== null);
  const flat = present.flatMap((c) => (c.kind === kind ? c.children : [c]));
  if (!flat.length) return null;
  return flat.length === 1 ? flat[0] : { kind, children: flat };
}

/** Marks the term typed last as a prefix (search while typing), unless the input ended a word. */
function markLastPrefix(node: QueryNode, input: string, tokens: Token[]): QueryNode {
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'word' || last.end !== input.length || !/[\p{L}\p{N}]$/u.test(input))
    return node;
  if (
    tokens.length >= 2 &&
    (tokens[tokens.length - 2].type === 'minus' || tokens[tokens.length - 2].type === 'not')
  )
    return node;
  const lastWords = words(last.text);
  if (lastWords.length !== 1) return node;
  let done = false;
  const visit = (n: QueryNode): QueryNode => {
    if (done) return n;
    switch (n.kind) {
      case 'term':
        if (n.word === lastWords[0]) {
          done = true;
          return { ...n, prefix: true };
        }
        return n;
      case 'phrase':
      case 'not':
        return n;
      default: {
        const children = [...n.children];
        for (let i = children.length - 1; i >= 0 && !done; i--) children[i] = visit(children[i]);
        return { kind: n.kind, children };
      }
    }
  };
  return visit(node);
}

function countTerms(node: QueryNode): number {
  switch (node.kind) {
    case 'term':
      return 1;
    case 'phrase':
      return node.words.length;
    case 'not':
      return countTerms(node.child);
    default:
      return node.children.reduce((n, c) => n + countTerms(c), 0);
  }
}

/** The plain-words reading of a query: what a malformed query degrades to. */
export function plainWords(input: string): QueryNode | null {
  const all = words(input.replace(/"/g, ' '));
  const node = combine(
    'and',
    all.map((word) => ({ kind: 'term', word, prefix: false })),
  );
  return node ? markLastPrefix(node, input, tokenize(input).tokens) : null;
}

/** Parses `q` into an AST, or null when it holds no words at all. Never throws. */
export function parseQuery(input: string | undefined | null): QueryNode | null {
  // A trailing space means the last word is finished: no prefix then.
  const text = (input ?? '').trimStart().replace(/\s+$/, (space) => (space ? ' ' : ''));
  if (!text.trim()) return null;
  const { tokens } = tokenize(text);
  let node: QueryNode | null;
  try {
    node = new Parser(tokens).parse();
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return plainWords(text);
  }
  if (!node) return null;
  if (countTerms(node) > MAX_TERMS) return plainWords(text);
  return markLastPrefix(node, text, tokens);
}

/** Whether a node only excludes (e.g. `-draft`): engines then match everything else. */
export function isNegative(node: QueryNode): boolean {
  if (node.kind === 'not') return true;
  if (node.kind === 'and') return node.children.every(isNegative);
  return false;
}

/** Positive words and phrases of the query (what highlights mark), negated parts left out. */
export function positiveParts(
  node: QueryNode | null,
): Array<Extract<QueryNode, { kind: 'term' | 'phrase' }>> {
  if (!node) return [];
  switch (node.kind) {
    case 'term':
    case 'phrase':
      return [node];
    case 'not':
      return [];
    default:
      return node.children.flatMap(positiveParts);
  }
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), as Lucene counts edits. */
export function editDistance(a: string, b: string, max = Infinity): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}
