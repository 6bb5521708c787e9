/**
 * What a person does on the emulator's consent page: open the authorization URL, keep every scope ticked,
 * press Continue. Returns where the emulator redirects the browser (the app's redirect_uri with code and state).
 */
export async function approveConsent(authorizationUrl: string): Promise<string> {
  const page = await fetch(authorizationUrl, { signal: AbortSignal.timeout(10000) });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 200)}`);
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !consentId) throw new Error('no consent form on the page');
  const form = new URLSearchParams({ consent_id: consentId });
  for (const match of html.matchAll(/name="scope" value="([^"]+)"/g)) form.append('scope', match[1]!.replace(/&amp;/g, '&'));
  form.append('action', 'allow');
  const submitted = await fetch(new URL(action, authorizationUrl), {
    method: 'POST',
    body: form,
    redirect: 'manual',
    signal: AbortSignal.timeout(10000),
  });
  await submitted.body?.cancel();
  const location = submitted.headers.get('location');
  if (submitted.status !== 302 || !location) throw new Error(`consent submit answered ${submitted.status}`);
  return location;
}
