export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(title: string, body: string, extraHead = ''): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + '<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#202124}'
    + 'label{display:block;margin:.4rem 0}button{margin:.5rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#b00020}'
    + '.grid{display:flex;flex-wrap:wrap;gap:.5rem}.grid label{width:9.5rem;border:1px solid #ddd;padding:.3rem;font-size:.8rem;word-break:break-all}'
    + `.grid img{width:100%;height:6rem;object-fit:cover;display:block}</style>${extraHead}</head><body>${body}</body></html>`;
}
