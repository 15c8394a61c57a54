/**
 * The page at GET /graphql in development: Apollo Sandbox, embedded from Apollo's CDN with its
 * telemetry off (the server's is off too), and, whenever that script cannot load (offline, a
 * blocked CDN), a page that says how to query with curl and a token instead of Apollo's bare
 * "Sandbox cannot be loaded". Nothing in it comes from a request.
 */
import type { ApolloServerPlugin } from '@apollo/server';

const SANDBOX_SCRIPT = 'https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js';

/** Options handed to Apollo's EmbeddedSandbox; `runTelemetry: false` keeps the browser from reporting to Apollo. */
const SANDBOX_OPTIONS = { target: '#sandbox', runTelemetry: false, endpointIsEditable: false, hideCookieToggle: true };

const EXAMPLE_QUERY = JSON.stringify({ query: '{ myOrders { id status items { product { name } quantity } } }' });

const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphQL gateway</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  #offline { max-width: 48rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  pre { background: #f4f4f4; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
  #sandbox { position: absolute; inset: 0; }
  #sandbox iframe { width: 100%; height: 100%; border: 0; }
</style>
</head>
<body>
<div id="offline">
  <h1>GraphQL gateway</h1>
  <p>Apollo Sandbox could not be loaded from Apollo's CDN (offline, or blocked). The gateway works
  without it: send queries to <code class="endpoint">/graphql</code> with curl or any HTTP client.</p>
  <p><code>npm start</code> printed a token per demo user (alice, bob, wendy, paula, ada); or mint one:</p>
  <pre>TOKEN=$(npm run -s token -- --sub alice)</pre>
  <p>Then:</p>
  <pre>curl -s <span class="endpoint">/graphql</span> \\
  -H 'content-type: application/json' \\
  -H "authorization: Bearer $TOKEN" \\
  -d '${EXAMPLE_QUERY}'</pre>
  <p>Without the authorization header you query as an anonymous user (products only).</p>
</div>
<div id="sandbox"></div>
<script>
  var endpoint = window.location.href.split('?')[0];
  document.querySelectorAll('.endpoint').forEach(function (node) { node.textContent = endpoint; });
  function startSandbox() {
    document.getElementById('offline').hidden = true;
    new window.EmbeddedSandbox(Object.assign(${JSON.stringify(SANDBOX_OPTIONS)}, { initialEndpoint: endpoint }));
  }
</script>
<script src="${SANDBOX_SCRIPT}" onload="startSandbox()" async></script>
</body>
</html>
`;

/** The landing page plugin; Apollo serves it to browsers asking GET /graphql for HTML. */
export function sandboxLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
