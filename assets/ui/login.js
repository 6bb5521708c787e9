/** The login page: trade username + password for a token, then go back to the page that asked for it. */
import { apiPost, setToken } from './api.js';

const form = document.getElementById('login-form');
const errorBox = document.getElementById('login-error');
const submit = document.getElementById('login-submit');

/** Only same-site paths: "?redirect=https://evil.example" must not send anyone away. */
function returnPath() {
  const wanted = new URLSearchParams(location.search).get('redirect') ?? '/';
  if (!wanted.startsWith('/') || wanted.startsWith('//') || wanted.startsWith('/\\') || wanted.startsWith('/@login')) return '/';
  return wanted;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError('Enter your username and password.');
    return;
  }
  errorBox.hidden = true;
  submit.disabled = true;
  try {
    const data = await apiPost('/api/auth/login', { username, password }, { redirectOn401: false });
    setToken(data.token);
    location.replace(returnPath());
  } catch (error) {
    showError(error.message || 'Login failed.');
    submit.disabled = false;
  }
});
