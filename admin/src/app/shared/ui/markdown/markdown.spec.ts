import { markdownToSafeHtml } from './markdown';

describe('markdownToSafeHtml', () => {
  it('renders Markdown', () => {
    const html = markdownToSafeHtml('# Title\n\nSome **bold** and `code`.');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
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
