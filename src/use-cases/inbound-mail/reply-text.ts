/**
 * The new text of a mail reply: what the sender wrote above the quoted mail ("On … wrote:" and the
 * `>` lines under it, or an Outlook "-----Original Message-----"), trailing blank lines trimmed.
 */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^-{2,}\s*Original Message\s*-{2,}/i.test(line.trim())) break;
    if (/^On .+wrote:\s*$/i.test(line.trim()) && lines.slice(i + 1).some((l) => l.startsWith('>'))) break;
    if (line.startsWith('>')) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}
