/** How `escapeXml` writes the five special characters. */
export type CharacterReferences = 'named' | 'numeric';

const namedReferences: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Text safe inside XML (and HTML) element content and quoted attributes: `& < > " '` become
 * named references (`&amp;`), or numeric ones (`&#38;`) with `references: 'numeric'`.
 */
export function escapeXml(text: string, references: CharacterReferences = 'named'): string {
  return text.replace(/[&<>"']/g, (char) =>
    references === 'numeric' ? `&#${char.charCodeAt(0)};` : namedReferences[char]!,
  );
}
