/** The little Markdown the manifests use: table cells and paragraphs with `code` spans and `\|`. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline Markdown to HTML: `code` spans, **bold**, `\|` as a pipe, line breaks as spaces. */
export function inlineMarkdown(markdown: string): string {
  const text = markdown.replace(/\\\|/g, '|').replace(/\s*\n\s*/g, ' ');
  return text
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length >= 2
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>'),
    )
    .join('');
}

/** The text of a `## Title` section of a README (without its heading), or undefined. */
export function readmeSection(readme: string, title: string): string | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${title}`);
  if (start < 0) return undefined;
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  return lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
}

/** The README with one section's body replaced (the heading stays). */
export function replaceReadmeSection(readme: string, title: string, body: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${title}`);
  if (start < 0) throw new Error(`no "## ${title}" section`);
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  const atEnd = end < 0;
  if (atEnd) end = lines.length;
  const replaced = ['', body.trim(), ...(atEnd ? [] : [''])];
  return [...lines.slice(0, start + 1), ...replaced, ...lines.slice(end)].join('\n').replace(/\n*$/, '\n');
}
