import { highlightPlaceholders, markdownToPlainText, markdownToSafeHtml } from './markdown';

describe('markdownToSafeHtml', () => {
  it('renders Markdown', () => {
    const html = markdownToSafeHtml('# Title\n\nSome **bold** and `code`.');
    expect(html).toContain('<h3>Title</h3>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
  });

  it('starts headings below the page’s own h1 and h2, capped at h6', () => {
    expect(markdownToSafeHtml('## Two')).toContain('<h4>Two</h4>');
    expect(markdownToSafeHtml('###### Six')).toContain('<h6>Six</h6>');
  });

  it('removes scripts, event handlers and javascript: links', () => {
    const html = markdownToSafeHtml(
      '<script>alert(1)</script><img src="x" onerror="alert(2)">\n\n[x](javascript:alert(3))',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<img src="x">');
    expect(html).toContain('<a>x</a>');
  });
});

describe('highlightPlaceholders', () => {
  it('wraps placeholders in text but not in code, keeping the text escaped', () => {
    const html = highlightPlaceholders(
      markdownToSafeHtml('Hi {{ name }} &lt;b&gt; and `{{raw}}`\n\n```\n{{block}}\n```'),
    );
    expect(html).toContain('Hi <span class="pv-var">{{ name }}</span>');
    expect(html).toContain('<code>{{raw}}</code>');
    expect(html).toContain('{{block}}');
    expect(html).not.toContain('<span class="pv-var">{{raw}}');
    expect(html).not.toContain('<b>');
  });

  it('leaves the {{{{ escape unmarked', () => {
    expect(highlightPlaceholders('<p>{{{{literal}} {{x}}</p>')).toBe(
      '<p>{{{{literal}} <span class="pv-var">{{x}}</span></p>',
    );
  });
});

describe('markdownToPlainText', () => {
  it('keeps the words of a description and drops its syntax, on one line', () => {
    expect(markdownToPlainText('Reads a **contract** and answers _questions_')).toBe(
      'Reads a contract and answers questions',
    );
    expect(markdownToPlainText('# Title\n\n- one\n- [two](https://example.com)')).toBe('Title one two');
  });

  it('shows markup as text, never as elements', () => {
    expect(markdownToPlainText('a <img src=x onerror="alert(1)"> b <script>x()</script>')).toBe('a b');
  });
});
