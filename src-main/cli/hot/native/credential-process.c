/*
 * rolecall-credential-process: the credential_process hot path, natively, for the cases that are
 * hot: a running agent that has the session, and (no agent running) a fresh session in the
 * broker's keychain cache. AWS tools run credential_process before every command, and Node's own
 * start (`node -e 0`, ~30 ms) is most of what the Node CLI costs there.
 *
 *   rolecall-credential-process <node> <rolecall.cjs> credential-process --profile NAME
 *
 * Its arguments are the Node CLI's command line. It reads the profile from them, asks the agent
 * with the same checks and handshake as src-main/core/agent/client.ts (owner checks before
 * connecting; the agent proves it knows the token first; the token never crosses the socket) and
 * prints the answer. When no agent runs it reads the session entry the broker keeps for this
 * caller in the Secret Service (keychain-layout.ts: same entry name, same refreshAt rule) through
 * libsecret, loaded only then. For anything else it runs that command line in its place (execv), before
 * or after asking: no agent and no fresh cache entry, a socket or agent that fails the checks, an error answer (the CLI
 * words it, asks for MFA codes, works in-process), arguments it does not handle, a data dir
 * whose path it would have to normalise, a socket that moved out of the data dir. So it holds
 * no policy of its own, and the CLI remains the one place that explains and decides.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifdef __APPLE__
#include <CommonCrypto/CommonDigest.h>
#include <CommonCrypto/CommonHMAC.h>
#include <sys/random.h>
#else
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sys/random.h>
#endif

#ifdef ROLECALL_LIBSECRET
/* Types and constants only: the library itself is opened with dlopen when the cache is read, so
 * the agent path does not pay for loading GLib. */
#include <dlfcn.h>
#include <libsecret/secret.h>
#endif

/* The same bounds as the Node client (client.ts, wire.ts). */
#define HANDSHAKE_TIMEOUT_MS 1500
#define CREDENTIALS_TIMEOUT_MS 45000
#define MAX_PRE_AUTH_BYTES 4096
#define MAX_LINE_BYTES (1024 * 1024)
/* sun_path, as paths.ts allows it (macOS's 104 bytes, NUL included). */
#define MAX_SOCKET_PATH_BYTES 103
#define HANDSHAKE_VERSION 1

#ifndef SOCK_CLOEXEC
/* macOS: set with fcntl after socket(). */
#define SOCK_CLOEXEC 0
#endif

static char **fallback_argv;

/* Runs the Node CLI's command line in this process's place. */
_Noreturn static void fall_back(void) {
  execv(fallback_argv[0], fallback_argv);
  fprintf(stderr, "rolecall: cannot run %s: %s\n", fallback_argv[0], strerror(errno));
  exit(1);
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The hot path's own argument rule (parseHotArgs): one profile, by --profile or by position; any
 * other flag (--mfa-code, --force-refresh, --help...) is the CLI's. */
static const char *profile_of(int argc, char **argv, int from) {
  const char *profile = NULL;
  for (int i = from; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--profile") == 0) {
      if (profile || i + 1 >= argc) return NULL;
      profile = argv[++i];
    } else if (strncmp(a, "--profile=", 10) == 0) {
      if (profile) return NULL;
      profile = a + 10;
    } else if (a[0] == '-' || profile) {
      return NULL;
    } else {
      profile = a;
    }
  }
  if (!profile) return NULL;
  /* HOT_PROFILE_NAME in credential-process.ts. */
  regex_t re;
  if (regcomp(&re, "^[A-Za-z0-9][A-Za-z0-9_.+@/-]{0,127}$", REG_EXTENDED | REG_NOSUB) != 0) return NULL;
  int ok = regexec(&re, profile, 0, NULL, 0) == 0;
  regfree(&re);
  return ok ? profile : NULL;
}

/* An absolute path that path.resolve would leave as it is: otherwise the CLI works it out. */
static int normal_absolute(const char *p) {
  size_t n = strlen(p);
  if (n < 2 || p[0] != '/' || p[n - 1] == '/') return 0;
  for (const char *s = p; (s = strchr(s, '/')) != NULL; s++) {
    const char *c = s + 1;
    if (c[0] == '/' || (c[0] == '.' && (c[1] == '/' || c[1] == '\0')) || (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))) return 0;
  }
  return 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* The data dir as resolvePaths (paths.ts) finds it, or 0 when the CLI must work it out; *custom
 * says it came from ROLECALL_HOME (whose installs have keychain entries of their own). */
static int data_dir(char *out, size_t size, int *custom_dir) {
  const char *home = getenv("HOME");
  if (!home || !normal_absolute(home)) return 0;
  const char *custom = getenv("ROLECALL_HOME");
  int n;
  *custom_dir = custom && *custom;
  if (*custom_dir) {
    char trimmed[4096];
    while (is_space(*custom)) custom++;
    size_t len = strlen(custom);
    while (len > 0 && is_space(custom[len - 1])) len--;
    if (len == 0 || len >= sizeof trimmed) return 0;
    for (size_t i = 0; i < len; i++)
      if ((unsigned char)custom[i] >= 0x80) return 0; /* JS's trim knows more spaces than these */
    memcpy(trimmed, custom, len);
    trimmed[len] = '\0';
    if (strncmp(trimmed, "~/", 2) == 0) n = snprintf(out, size, "%s/%s", home, trimmed + 2);
    else n = snprintf(out, size, "%s", trimmed);
  } else {
#ifdef __APPLE__
    n = snprintf(out, size, "%s/Library/Application Support/Rolecall", home);
#else
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/') n = snprintf(out, size, "%s/rolecall", xdg);
    else n = snprintf(out, size, "%s/.config/rolecall", home);
#endif
  }
  return n > 0 && (size_t)n < size && normal_absolute(out);
}

enum socket_state { NO_AGENT, UNTRUSTED, TRUSTED };

/* checkSocketOwner (client.ts): the directory is ours, real and private, the socket is ours. No
 * directory, or no socket in it, is no agent; anything else wrong is the CLI's to report. */
static enum socket_state socket_state(const char *socket_path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", socket_path);
  char *slash = strrchr(dir, '/');
  if (!slash) return UNTRUSTED;
  *slash = '\0';
  struct stat d, s;
  uid_t uid = getuid();
  if (lstat(dir, &d) != 0) return errno == ENOENT || errno == ENOTDIR ? NO_AGENT : UNTRUSTED;
  if (!S_ISDIR(d.st_mode) || d.st_uid != uid) return UNTRUSTED;
  if (lstat(socket_path, &s) != 0) return errno == ENOENT ? NO_AGENT : UNTRUSTED;
  if (!S_ISSOCK(s.st_mode)) return NO_AGENT;
  if (s.st_uid != uid || (d.st_mode & 077)) return UNTRUSTED;
  return TRUSTED;
}

static int read_token(const char *file, char *out, size_t size) {
  int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return 0;
  ssize_t n = read(fd, out, size - 1);
  close(fd);
  if (n <= 0) return 0;
  out[n] = '\0';
  while (n > 0 && is_space(out[n - 1])) out[--n] = '\0';
  char *start = out;
  while (is_space(*start)) start++;
  memmove(out, start, strlen(start) + 1);
  return out[0] != '\0';
}

static void hex(const unsigned char *in, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[2 * n] = '\0';
}

/* proofOf (handshake.ts): HMAC-SHA256(token, "rolecall-agent ROLE|C|S"), hex. */
static void proof_of(const char *token, const char *role, const char *client_nonce, const char *server_nonce, char out[65]) {
  char message[256];
  int n = snprintf(message, sizeof message, "rolecall-agent %s|%s|%s", role, client_nonce, server_nonce);
  unsigned char mac[32];
#ifdef __APPLE__
  CCHmac(kCCHmacAlgSHA256, token, strlen(token), message, (size_t)n, mac);
#else
  unsigned int len = sizeof mac;
  HMAC(EVP_sha256(), token, (int)strlen(token), (const unsigned char *)message, (size_t)n, mac, &len);
#endif
  hex(mac, sizeof mac, out);
}

static int same_proof(const char *a, const char *b) {
  if (strlen(a) != 64 || strlen(b) != 64) return 0;
#ifdef __APPLE__
  unsigned char diff = 0;
  for (int i = 0; i < 64; i++) diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
#else
  return CRYPTO_memcmp(a, b, 64) == 0;
#endif
}

static int is_nonce(const char *s) {
  if (!s || strlen(s) != 64) return 0;
  for (int i = 0; i < 64; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

static int send_all(int fd, const char *data, size_t n) {
  while (n > 0) {
#ifdef MSG_NOSIGNAL
    ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
#else
    ssize_t w = send(fd, data, n, 0);
#endif
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return 0;
    data += w;
    n -= (size_t)w;
  }
  return 1;
}

/* One connection's reading side: lines out of a growing buffer. */
struct reader {
  int fd;
  char *buf;
  size_t len, cap;
  /* The bytes of the line last returned, dropped at the next call. */
  size_t consumed;
};

/* The next line (NUL-terminated, without its newline), by the deadline and within max bytes. */
static char *next_line(struct reader *r, long long deadline, size_t max) {
  if (r->consumed) {
    memmove(r->buf, r->buf + r->consumed, r->len - r->consumed);
    r->len -= r->consumed;
    r->consumed = 0;
  }
  for (;;) {
    char *nl = memchr(r->buf, '\n', r->len);
    if (nl) {
      *nl = '\0';
      r->consumed = (size_t)(nl - r->buf) + 1;
      return r->buf;
    }
    if (r->len > max) return NULL;
    if (r->cap - r->len < 65536) {
      size_t cap = r->cap ? r->cap * 2 : 65536;
      char *b = realloc(r->buf, cap);
      if (!b) return NULL;
      r->buf = b;
      r->cap = cap;
    }
    long long left = deadline - now_ms();
    if (left <= 0) return NULL;
    struct pollfd p = {.fd = r->fd, .events = POLLIN};
    int ready = poll(&p, 1, (int)left);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return NULL;
    ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return NULL;
    r->len += (size_t)n;
  }
}

static int is_setting_name(const char *name, size_t n) {
  return (n == 16 && strncmp(name, "AWS_ENDPOINT_URL", 16) == 0) || (n > 17 && strncmp(name, "AWS_ENDPOINT_URL_", 17) == 0) ||
         (n == 10 && strncmp(name, "AWS_REGION", 10) == 0) || (n == 18 && strncmp(name, "AWS_DEFAULT_REGION", 18) == 0);
}

#define MAX_SETTINGS 32

struct setting {
  char name[128];
  const char *value;
};

static int by_name(const void *a, const void *b) { return strcmp(((const struct setting *)a)->name, ((const struct setting *)b)->name); }

/* awsCallerSettings (caller-settings.ts): the caller's endpoints and region, empty ones dropped,
 * sorted by name. -1 for what only the CLI can judge: more than the agent takes, a name outside
 * [A-Z0-9_] or a value outside printable ASCII (JavaScript's sort and JSON differ from C's there). */
static int aws_settings(struct setting *out) {
  extern char **environ;
  int count = 0;
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    size_t n = eq ? (size_t)(eq - *e) : 0;
    if (!eq || !eq[1] || !is_setting_name(*e, n)) continue;
    if (count == MAX_SETTINGS || n >= sizeof out->name) return -1;
    for (size_t i = 0; i < n; i++)
      if (!((*e)[i] == '_' || ((*e)[i] >= 'A' && (*e)[i] <= 'Z') || ((*e)[i] >= '0' && (*e)[i] <= '9'))) return -1;
    for (const char *v = eq + 1; *v; v++)
      if ((unsigned char)*v < 0x20 || (unsigned char)*v >= 0x7f) return -1;
    memcpy(out[count].name, *e, n);
    out[count].name[n] = '\0';
    out[count].value = eq + 1;
    for (int i = 0; i < count; i++)
      if (strcmp(out[i].name, out[count].name) == 0) return -1;
    count++;
  }
  qsort(out, (size_t)count, sizeof *out, by_name);
  return count;
}

static json_t *settings_object(const struct setting *settings, int count) {
  json_t *o = json_object();
  for (int i = 0; i < count; i++) json_object_set_new(o, settings[i].name, json_string(settings[i].value));
  return o;
}

static const char *string_field(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* toISOString's form, the only one the agent sends: anything else is the CLI's to judge. */
static int iso_instant(const char *s) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (strlen(s) != sizeof shape - 1) return 0;
  for (size_t i = 0; i < sizeof shape - 1; i++) {
    if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return 0;
  }
  return 1;
}

/* Prints the credential_process answer (credentialProcessJson in output.ts) and exits. */
static _Noreturn void answer(const char *id, const char *secret, const char *token, const char *expiration) {
  json_t *out = json_object();
  json_object_set_new(out, "Version", json_integer(1));
  json_object_set_new(out, "AccessKeyId", json_string(id));
  json_object_set_new(out, "SecretAccessKey", json_string(secret));
  if (token && *token) json_object_set_new(out, "SessionToken", json_string(token));
  if (expiration) json_object_set_new(out, "Expiration", json_string(expiration));
  char *text = json_dumps(out, JSON_COMPACT);
  if (!text) fall_back();
  printf("%s\n", text);
  exit(fflush(stdout) == 0 ? 0 : 1);
}

/* The agent's answer to a credentials request (credentialsFromWire in wire.ts); returns for a
 * malformed one. */
static void answer_from_agent(json_t *result) {
  if (!json_is_object(result)) return;
  const char *id = string_field(result, "accessKeyId"), *secret = string_field(result, "secretAccessKey");
  json_t *token = json_object_get(result, "sessionToken"), *expiration = json_object_get(result, "expiration");
  json_t *notices = json_object_get(result, "notices");
  if (!id || !secret || (token && !json_is_string(token)) || (expiration && !(json_is_string(expiration) && iso_instant(json_string_value(expiration)))))
    return;
  if (notices && !json_is_array(notices)) return;
  size_t i;
  json_t *n;
  json_array_foreach(notices, i, n) if (!json_is_string(n)) return;
  /* What the broker told the person while getting them, as the CLI prints its notices. */
  json_array_foreach(notices, i, n) fprintf(stderr, "rolecall: %s\n", json_string_value(n));
  answer(id, secret, token ? json_string_value(token) : NULL, expiration ? json_string_value(expiration) : NULL);
}

/* Asks the agent on a connected socket. Returns only when the CLI must take over. */
static void ask_agent(int fd, const char *token, const char *profile, const struct setting *settings, int count) {
  long long deadline = now_ms() + HANDSHAKE_TIMEOUT_MS;
  unsigned char raw[32];
  char client_nonce[65], line_out[512];
  if (getentropy(raw, sizeof raw) != 0) return;
  hex(raw, sizeof raw, client_nonce);
  int n = snprintf(line_out, sizeof line_out, "{\"type\":\"hello\",\"v\":%d,\"clientNonce\":\"%s\"}\n", HANDSHAKE_VERSION, client_nonce);
  if (!send_all(fd, line_out, (size_t)n)) return;

  struct reader r = {.fd = fd};
  char *line = next_line(&r, deadline, MAX_PRE_AUTH_BYTES);
  json_t *challenge = line ? json_loads(line, JSON_REJECT_DUPLICATES, NULL) : NULL;
  const char *type = string_field(challenge, "type"), *server_nonce = string_field(challenge, "serverNonce");
  const char *server_proof = string_field(challenge, "serverProof");
  char want[65], client_proof[65];
  if (!type || strcmp(type, "challenge") != 0 || !is_nonce(server_nonce) || !server_proof) return;
  proof_of(token, "server", client_nonce, server_nonce, want);
  if (!same_proof(want, server_proof)) return;
  proof_of(token, "client", client_nonce, server_nonce, client_proof);

  json_t *request = json_pack("{s:s, s:s, s:o}", "type", "credentials", "profile", profile, "awsSettings", settings_object(settings, count));
  char *request_text = request ? json_dumps(request, JSON_COMPACT) : NULL;
  if (!request_text) return;
  n = snprintf(line_out, sizeof line_out, "{\"type\":\"proof\",\"clientProof\":\"%s\"}\n", client_proof);
  if (!send_all(fd, line_out, (size_t)n) || !send_all(fd, request_text, strlen(request_text)) || !send_all(fd, "\n", 1)) return;

  /* Progress lines (a person signing in) come first, each said once and each restarting the wait. */
  char *told = NULL;
  for (;;) {
    line = next_line(&r, now_ms() + CREDENTIALS_TIMEOUT_MS, MAX_LINE_BYTES);
    json_t *m = line ? json_loads(line, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(m)) return;
    json_t *ok = json_object_get(m, "ok");
    if (!ok) {
      const char *progress = string_field(m, "progress");
      if (!progress) return;
      if (!told || strcmp(told, progress) != 0) {
        fprintf(stderr, "rolecall: %s\n", progress);
        free(told);
        told = strdup(progress);
      }
      json_decref(m);
      continue;
    }
    /* An error answer: the CLI asks again and says it in its words (or prompts for a code). */
    if (json_is_true(ok)) answer_from_agent(json_object_get(m, "result"));
    return;
  }
}

/* Milliseconds since the epoch of a toISOString instant. */
static long long instant_ms(const char *s) {
  struct tm t = {0};
  t.tm_year = atoi(s) - 1900;
  t.tm_mon = atoi(s + 5) - 1;
  t.tm_mday = atoi(s + 8);
  t.tm_hour = atoi(s + 11);
  t.tm_min = atoi(s + 14);
  t.tm_sec = atoi(s + 17);
  return (long long)timegm(&t) * 1000 + atoi(s + 20);
}

/* sessionEntryName (keychain-layout.ts): session/<profile>, or for a caller with AWS settings
 * session/<profile>#<first 16 hex of sha256(awsSettingsKey)>, that key being JSON.stringify of
 * the [name, value] pairs (plain ASCII here, so only " and \ need escaping). */
static int session_entry_name(const char *profile, const struct setting *settings, int count, char *out, size_t size) {
  if (count == 0) return snprintf(out, size, "session/%s", profile) < (int)size;
  size_t cap = 2 + (size_t)count * (2 * sizeof settings->name + 16), len = 0;
  for (int i = 0; i < count; i++) cap += 2 * strlen(settings[i].value);
  char *key = malloc(cap);
  if (!key) return 0;
  key[len++] = '[';
  for (int i = 0; i < count; i++) {
    len += (size_t)sprintf(key + len, "%s[\"%s\",\"", i ? "," : "", settings[i].name);
    for (const char *v = settings[i].value; *v; v++) {
      if (*v == '"' || *v == '\\') key[len++] = '\\';
      key[len++] = *v;
    }
    key[len++] = '"';
    key[len++] = ']';
  }
  key[len++] = ']';
  unsigned char digest[32];
  char digest_hex[65];
#ifdef __APPLE__
  CC_SHA256(key, (CC_LONG)len, digest);
#else
  SHA256((const unsigned char *)key, len, digest);
#endif
  free(key);
  hex(digest, sizeof digest, digest_hex);
  digest_hex[16] = '\0';
  return snprintf(out, size, "session/%s#%s", profile, digest_hex) < (int)size;
}

/* No agent runs: a session the broker cached for this caller, if it is not yet due for refresh
 * (freshFromCacheEntry in keychain-cache.ts). Returns when there is none, or it cannot tell. */
static void answer_from_cache(const char *service, const char *profile, const struct setting *settings, int count) {
#ifdef ROLECALL_LIBSECRET
  char name[512];
  /* Without a session bus libsecret would try to start one: the CLI knows what to say instead. */
  if (!getenv("DBUS_SESSION_BUS_ADDRESS") || !session_entry_name(profile, settings, count, name, sizeof name)) return;
  void *lib = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return;
  gchar *(*lookup)(const SecretSchema *, GCancellable *, GError **, ...) = (gchar * (*)(const SecretSchema *, GCancellable *, GError **, ...)) dlsym(lib, "secret_password_lookup_sync");
  void (*password_free)(gchar *) = (void (*)(gchar *))dlsym(lib, "secret_password_free");
  if (!lookup || !password_free) return;
  /* The attributes @napi-rs/keyring gives its Secret Service items: service and username. */
  static const SecretSchema schema = {
      .name = "org.freedesktop.Secret.Generic",
      .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
      .attributes = {{.name = "service", .type = SECRET_SCHEMA_ATTRIBUTE_STRING}, {.name = "username", .type = SECRET_SCHEMA_ATTRIBUTE_STRING}, {.name = NULL}},
  };
  GError *error = NULL;
  gchar *secret = lookup(&schema, NULL, &error, "service", service, "username", name, NULL);
  if (error || !secret) return;
  json_t *e = json_loads(secret, JSON_REJECT_DUPLICATES, NULL);
  password_free(secret);
  /* parseSessionEntry's shape; the dates as the broker writes them (toISOString). */
  const char *id = string_field(e, "accessKeyId"), *key = string_field(e, "secretAccessKey"), *type = string_field(e, "credentialType");
  const char *expiration = string_field(e, "expiration"), *refresh_at = string_field(e, "refreshAt");
  json_t *token = json_object_get(e, "sessionToken"), *arn = json_object_get(e, "arn");
  if (!id || !key || !type || !expiration || !refresh_at || (token && !json_is_string(token)) || (arn && !json_is_string(arn))) return;
  if (strcmp(type, "iam-user") != 0 && strcmp(type, "session-token") != 0 && strcmp(type, "role") != 0) return;
  if (!iso_instant(expiration) || !iso_instant(refresh_at)) return;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (instant_ms(refresh_at) <= (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000) return;
  answer(id, key, token ? json_string_value(token) : NULL, expiration);
#else
  (void)service, (void)profile, (void)settings, (void)count;
#endif
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "rolecall: usage: rolecall-credential-process <node> <rolecall script> credential-process --profile NAME\n");
    return 2;
  }
  fallback_argv = argv + 1;
  int command = 0;
  for (int i = 1; i < argc && !command; i++)
    if (strcmp(argv[i], "credential-process") == 0) command = i;
  const char *profile = command ? profile_of(argc, argv, command + 1) : NULL;
  char dir[4096], socket_path[4200], token_file[4200], token[256], service[4200];
  struct setting settings[MAX_SETTINGS];
  int custom, count;
  if (!profile || !data_dir(dir, sizeof dir, &custom) || (count = aws_settings(settings)) < 0) fall_back();
  snprintf(socket_path, sizeof socket_path, "%s/agent.sock", dir);
  snprintf(token_file, sizeof token_file, "%s/agent.token", dir);
  /* Past sun_path the socket moved out of the data dir (paths.ts): the CLI finds it. */
  if (strlen(socket_path) > MAX_SOCKET_PATH_BYTES) fall_back();

  /* No token yet means no agent has run. */
  enum socket_state state = read_token(token_file, token, sizeof token) ? socket_state(socket_path) : NO_AGENT;
  if (state == UNTRUSTED) fall_back();
  if (state == TRUSTED) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fall_back();
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
      ask_agent(fd, token, profile, settings, count);
      fall_back();
    }
    /* A socket nobody listens on any more (a crashed agent's): no agent. */
    if (errno != ECONNREFUSED && errno != ENOENT) fall_back();
    close(fd);
  }
  /* keychainService in paths.ts. */
  if (custom) snprintf(service, sizeof service, "rolecall (%s)", dir);
  else snprintf(service, sizeof service, "rolecall");
  answer_from_cache(service, profile, settings, count);
  fall_back();
}
