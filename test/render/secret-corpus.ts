/**
 * Secret shapes for the redaction tests: each entry is a line as an artifact would carry it
 * (an event message, a command line, an env dump) and the secret in it. Token values are
 * generated here from a fixed seed (random-looking, unique per entry, never real credentials)
 * so that a substring search proves a secret's presence or absence.
 *
 * `probe` is the secret's longest run of letters and digits: Markdown escapes `_` and HTML
 * escapes quotes, so end-to-end tests search rendered reports for the probe, not the secret.
 */

/** Deterministic generator of random-looking strings over an alphabet (xorshift32). */
function generator(seed: number) {
  let x = seed >>> 0 || 1;
  return (alphabet: string, length: number): string => {
    let s = "";
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += alphabet[(x >>> 0) % alphabet.length];
    }
    return s;
  };
}

const rand = generator(20261202);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}_-`;
const HEX = "0123456789abcdef";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** Alphanumeric with at least one upper, lower and digit run, so the probe is long. */
const an = (n: number) =>
  `${rand("ABCDEFGHJKLMNPQRSTUVWXYZ", 2)}${rand("abcdefghijkmnopqrstuvwxyz", 2)}${rand("23456789", 2)}${rand(ALNUM, n - 6)}`;
/** A password-like value (letters and digits, so it survives every escaping). */
const pw = () => `pw${an(12)}`;

interface SecretCase {
  name: string;
  line: string;
  secret: string;
  probe: string;
}

function longestAlnumRun(s: string): string {
  return (s.match(/[A-Z0-9]+/gi) ?? []).reduce((a, b) => (b.length > a.length ? b : a), "");
}

function c(name: string, make: (secret: string) => string, secret: string): SecretCase {
  return { name, line: make(secret), secret, probe: longestAlnumRun(secret) };
}

const jwt = () => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${rand(B64URL, 40)}.${rand(B64URL, 43)}`;

/** At least 60 shapes: vendor tokens, URLs with passwords, names, flags, JSON pairs. */
export const SECRET_CORPUS: SecretCase[] = [
  c("GitHub classic PAT after 'token'", (s) => `authorization: token ${s}`, `ghp_${an(36)}`),
  c("GitHub OAuth token", (s) => `git clone https://x-access-token:${s}@github.com/acme/app`, `gho_${an(36)}`),
  c("GitHub user-to-server token", (s) => `GH said ${s} expired`, `ghu_${an(36)}`),
  c("GitHub server-to-server token", (s) => `using ${s} for checks`, `ghs_${an(36)}`),
  c("GitHub refresh token", (s) => `refresh=${s}`, `ghr_${an(36)}`),
  c("GitHub fine-grained PAT", (s) => `pulling with ${s}`, `github_pat_11${rand(UPPER_DIGITS, 20)}_${an(59)}`),
  c("GitLab PAT", (s) => `registry login failed for glpat ${s}`, `glpat-${an(20)}`),
  c("GitLab deploy token", (s) => `deploy token ${s} rejected`, `gldt-${an(20)}`),
  c("GitLab runner token", (s) => `runner registered with ${s}`, `glrt-${an(20)}`),
  c(
    "Slack bot token",
    (s) => `notify failed: ${s}`,
    `xoxb-${rand("0123456789", 12)}-${rand("0123456789", 13)}-${an(24)}`,
  ),
  c(
    "Slack user token",
    (s) => `slack ${s}`,
    `xoxp-${rand("0123456789", 12)}-${rand("0123456789", 12)}-${rand("0123456789", 13)}-${rand(HEX, 32)}`,
  ),
  c(
    "Slack app token",
    (s) => `socket mode ${s}`,
    `xapp-1-A${rand(UPPER_DIGITS, 10)}-${rand("0123456789", 13)}-${rand(HEX, 64)}`,
  ),
  c("Slack legacy workspace token", (s) => `legacy ${s}`, `xoxa-2-${rand("0123456789", 12)}-${an(30)}`),
  c(
    "Slack webhook",
    (s) => `POST https://hooks.slack.com/services/${s} 404`,
    `T${rand(UPPER_DIGITS, 10)}/B${rand(UPPER_DIGITS, 10)}/${an(24)}`,
  ),
  c("Google API key", (s) => `maps key ${s} quota`, `AIza${rand(B64URL.replace(/[_-]/g, ""), 35)}`),
  c("Stripe live secret key", (s) => `stripe: ${s}`, `sk_live_${an(24)}`),
  c("Stripe restricted key", (s) => `billing uses ${s}`, `rk_live_${an(24)}`),
  c("Stripe test secret key", (s) => `test mode ${s}`, `sk_test_${an(24)}`),
  c("Stripe webhook secret", (s) => `verify with ${s}`, `whsec_${an(32)}`),
  c("npm token", (s) => `npm ERR! 401 with ${s}`, `npm_${an(36)}`),
  c("npmrc authToken", (s) => `//registry.npmjs.org/:_authToken=${s}`, pw()),
  c("Docker Hub PAT", (s) => `docker login -u ci --password-stdin <<< ${s}`, `dckr_pat_${rand(B64URL, 27)}`),
  c("AWS access key id", (s) => `aws_access_key_id ${s} in env`, `AKIA${rand(UPPER_DIGITS, 16)}`),
  c("AWS STS key id", (s) => `assumed ${s}`, `ASIA${rand(UPPER_DIGITS, 16)}`),
  c("bare AWS secret access key", (s) => `creds ${s} found`, `${an(10)}/${rand(B64, 19)}+${an(9)}`),
  c("AWS secret key by name", (s) => `AWS_SECRET_ACCESS_KEY=${s}`, an(40)),
  c("AWS session token by name", (s) => `AWS_SESSION_TOKEN=${s}`, pw()),
  c("bare JWT", (s) => `Command: app --jwt-file /x ${s}`, jwt()),
  c("JWT as Bearer", (s) => `Authorization: Bearer ${s}`, jwt()),
  c("Bearer opaque token", (s) => `curl -H 'Bearer ${s}' https://api`, pw()),
  c("SendGrid key", (s) => `mail ${s}`, `SG.${an(22)}.${an(43)}`),
  c("Hugging Face token", (s) => `HF ${s}`, `hf_${rand("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)}`),
  c("Shopify token", (s) => `shop ${s}`, `shpat_${rand(HEX, 32)}A1`),
  c("Vault service token", (s) => `vault ${s}`, `hvs.${an(90)}`),
  c("Databricks token", (s) => `dbx ${s}`, `dapi${rand(HEX, 32)}`),
  c("Grafana cloud token", (s) => `grafana ${s}`, `glc_${an(48)}`),
  c("Figma token", (s) => `figma ${s}`, `figd_${an(40)}`),
  c("Linear key", (s) => `linear ${s}`, `lin_api_${an(40)}`),
  c("Groq key", (s) => `groq ${s}`, `gsk_${an(52)}`),
  c("OpenAI key", (s) => `openai ${s}`, `sk-proj-${an(58)}T3BlbkFJ${an(58)}`),
  c("Anthropic key", (s) => `llm ${s}`, `sk-ant-api03-${an(93)}AA`),
  c(
    "PEM private key on one line",
    (s) => `key: -----BEGIN RSA PRIVATE KEY----- ${s} -----END RSA PRIVATE KEY-----`,
    `MIIEpAIBAAKCAQEA${an(48)}`,
  ),
  c("PEM body line alone", (s) => s, `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${rand(B64, 32)}`),
  c("postgres URL password", (s) => `connect postgres://app:${s}@db.shop.svc:5432/orders failed`, pw()),
  c("URL password with @", (s) => `mysql://root:${s}@db:3306/x`, `p@${an(12)}`),
  c("URL password with /", (s) => `amqp://svc:${s}@mq.internal:5672/`, `pa/${an(12)}`),
  c("URL password with @ and /", (s) => `DATABASE_URL=postgresql://u:${s}@pg/x`, `a/b@${an(10)}`),
  c("redis URL, empty user", (s) => `redis://:${s}@cache:6379/0`, pw()),
  c("https basic-auth URL", (s) => `fetch https://deploy:${s}@charts.example.org/index.yaml`, pw()),
  c("mongodb+srv URL", (s) => `mongodb+srv://u:${s}@cluster0.example.net/db`, pw()),
  c("env NAME=value", (s) => `DB_PASSWORD=${s}`, pw()),
  c("YAML password", (s) => `  password: ${s}`, pw()),
  c("JSON apiKey", (s) => `{"apiKey": "${s}", "user": "app"}`, pw()),
  c("--password VALUE", (s) => `Command: /app/server --password ${s} --port 8080`, pw()),
  c("--password=VALUE", (s) => `/app/server --password=${s}`, pw()),
  c("mysql -p VALUE", (s) => `mysql -h db -u root -p ${s} orders`, pw()),
  c("--db-pass=VALUE", (s) => `worker --db-pass=${s} --threads 4`, pw()),
  c("--db-pass VALUE", (s) => `worker --db-pass ${s}`, pw()),
  c("--token VALUE", (s) => `agent --token ${s}`, pw()),
  c("JSON env pair", (s) => `{"name":"DB_PASSWORD","value":"${s}"}`, pw()),
  c("JSON env pair, spaced", (s) => `env: [{"name": "STRIPE_KEY", "value": "${s}"}]`, pw()),
  c("Java keyStorePassword", (s) => `java -Djavax.net.ssl.keyStorePassword=${s} -jar app.jar`, pw()),
  c("Authorization Basic", (s) => `Authorization: Basic ${s}`, `dXNlcj${an(14)}`),
  c("query string access_token", (s) => `GET /api?access_token=${s}&page=2`, pw()),
  c("client_secret", (s) => `client_secret: ${s}`, pw()),
  c("MYSQL_ROOT_PASSWORD", (s) => `MYSQL_ROOT_PASSWORD=${s}`, pw()),
  c("SECRET_KEY_BASE", (s) => `SECRET_KEY_BASE=${s}`, pw()),
  c("x-api-key header", (s) => `x-api-key: ${s}`, pw()),
  c("PGPASSWORD", (s) => `PGPASSWORD=${s} psql`, pw()),
  c("REDIS_PASS", (s) => `REDIS_PASS=${s}`, pw()),
  c("passphrase", (s) => `passphrase=${s}`, pw()),
  c("privateKey property", (s) => `privateKey: ${s}`, pw()),
  c("credential", (s) => `client-credential=${s}`, pw()),
];

/** Text that looks a bit like a secret but is not: redaction must leave each unchanged. */
export const NOT_SECRETS: string[] = [
  '"/etc/passwd": absolute path',
  "open /etc/passwd: permission denied",
  "oom_score_adj:969",
  "-XX:MaxRAMPercentage=75.0 MaxRAMPercentage=75",
  "monkey=3 keyboard=us author: Jane turkey=1",
  "the memory-key cache",
  "the token bucket is empty; retrying",
  'password authentication failed for user "app"',
  "[2914601.180912] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=9b2f6c1e4d7a,mems_allowed=0,task=worker,pid=31744,uid=1000",
  "[2914601.181433] Memory cgroup out of memory: Killed process 31744 (worker) total-vm:3311232kB, anon-rss:2092912kB, file-rss:20716kB, shmem-rss:0kB, UID:1000 pgtables:4612kB oom_score_adj:984",
  "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
  "env PASSWORD=$(cat /run/secrets/db)",
  "see http://example.org:8080/path and https://user@example.org/x",
  'Readiness probe failed: Get "http://10.31.9.58:8080/actuator/health/readiness": dial tcp 10.31.9.58:8080: connect: connection refused',
  "Last State: Terminated, Reason: OOMKilled, Exit Code: 137",
  "Container ID: containerd://9b2f6c1e4d7a8f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b",
  "Image ID: registry.example/app@sha256:3f9c1e2a7b6d4c8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e",
  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod2c023a4c_30f2_4556_949d_818a62183ded.slice",
  "pod payments-84c6d9f5b7-tx9vl_pay(2c023a4c-30f2-4556-949d-818a62183ded)",
  "at io/netty/util/internal/PlatformDependent0.allocateDirectNoCleaner",
  "org.springframework.boot.loader.launch.JarLauncher",
  "docker run -p 8080:80 nginx",
  "ssh -p 22 node-1",
  `kubectl -n shop patch deployment/checkout -p '{"spec":{"template":{"metadata":{"annotations":{"sidecar.istio.io/proxyMemoryLimit":"512Mi"}}}}}'`,
  "mkdir -p /var/lib/app && ps -p 4242 -o rss",
  "server --password-file /run/secrets/db --secret-name db-creds",
  "keyStoreType=PKCS12 trustStoreType=JKS",
  'Successfully pulled image "registry.gitlab.com/acme-fin/payments/payments-service:4.2.0" in 12.354s',
  "contact admin@example.com or see www.example.org",
  "git commit 3f9c1e2a7b6d4c8e9f0a1b2c3d4e5f6a7b8c9d0e",
  "ghp_ prefix alone, sk_live_ and AKIA too short AKIA1234",
  "Warning  BackOff  7s (x13 over 10m)  kubelet  Back-off restarting failed container",
  "memory.max=536870912 memory.high=max",
  "JAVA_TOOL_OPTIONS: -Xmx1536m -XX:+UseG1GC",
  "kubectl -n pay describe pod payments-84c6d9f5b7-tx9vl",
];
