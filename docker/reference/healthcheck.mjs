// Container healthcheck: exit 0 when GET <url> answers 200 within 2 s.
const url = process.argv[2] ?? 'http://127.0.0.1:4000/healthz';
fetch(url, { signal: AbortSignal.timeout(2000) })
  .then((res) => process.exit(res.status === 200 ? 0 : 1))
  .catch(() => process.exit(1));
