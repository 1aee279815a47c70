// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `docker-config`: the daemon.json entry that makes this installation's runtime wrapper a
 * Docker runtime, and whether the running dockerd has it. The entry goes to stdout (JSON, to
 * merge into /etc/docker/daemon.json), what the daemon says to stderr. The daemon is asked
 * with one HTTP/1.0 `GET /info` on its unix socket, whose answer lists its runtimes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include "base/cleanup.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/fs.h"
#include "base/json.h"
#include "base/log.h"
#include "profile/profile_format.h"

#define WRAPPER_NAME "oci-seccomp-recorder-runtime"
#define DEFAULT_RUNTIME_NAME "recorder"
#define DEFAULT_PROFILE_DIR "/var/lib/seccomp-profiles/docker"
#define DEFAULT_DOCKER_HOST "unix:///var/run/docker.sock"
#define UNIX_PREFIX "unix://"
#define DOCKER_TIMEOUT_S 10
#define INFO_MAX_BYTES (4 * 1024 * 1024)

/* --check's exit status: what the daemon said. */
enum check_status { CHECK_CONFIGURED = 0, CHECK_NOT_CONFIGURED = 1, CHECK_CANNOT_ASK = 2 };
/* The entry cannot be printed: no wrapper, or stdout refused it. */
#define DOCKER_CONFIG_ERROR 2

struct docker_config_options {
	const char *name;
	const char *profile_dir;
	const char *format;
	bool args;
	const char *host; /* --host, else $DOCKER_HOST, else DEFAULT_DOCKER_HOST */
	bool check;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: oci-seccomp-recorder docker-config [OPTIONS]\n\n"
		"Print the daemon.json entry that makes this installation's runtime wrapper\n"
		"the Docker runtime NAME (stdout), and say whether the running dockerd has a\n"
		"runtime of that name that runs it (stderr). `docker run --runtime NAME` then\n"
		"records.\n\n"
		"      --name NAME         the runtime's name (default " DEFAULT_RUNTIME_NAME ")\n"
		"      --profile-dir DIR   where profiles go, DIR/<container id>.json\n"
		"                          (default " DEFAULT_PROFILE_DIR ")\n"
		"      --args              keep argument values (the wrapper's --args)\n"
		"      --format FMT        oci (default), spo or spo-v1beta1\n"
		"      --host unix://SOCK  the daemon (default: $DOCKER_HOST, else\n"
		"                          " DEFAULT_DOCKER_HOST ")\n"
		"      --check             exit 0 when the daemon has it, 1 when not, 2 when it\n"
		"                          cannot be asked\n"
		"  -h, --help              this text\n");
}

/*
 * Docker 20.10 runs a runtime with runtimeArgs through a shell script it writes, the
 * arguments unquoted: a value the shell would split or expand would not reach the wrapper.
 */
static bool shell_safe(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			       "._/+-=:,@%") == strlen(s);
}

/* Whether the file at @path is this program (@self, resolved), called by the wrapper's name. */
static bool runs_wrapper(const char *path, const char *self)
{
	cleanup_free char *resolved = NULL;
	const char *base = strrchr(path, '/');

	if (!base || strcmp(base + 1, WRAPPER_NAME) != 0)
		return false;
	resolved = realpath(path, NULL);
	return resolved && strcmp(resolved, self) == 0;
}

/* @dir/WRAPPER_NAME when it is a link to this program; a relative @dir is made absolute. */
static char *wrapper_in(const char *dir, size_t dir_len, const char *self)
{
	cleanup_free char *copy = strndup(dir, dir_len), *absolute = NULL;
	char *path = NULL;

	if (!copy || dir_len == 0)
		return NULL;
	if (copy[0] != '/' && !(absolute = realpath(copy, NULL)))
		return NULL;
	if (asprintf(&path, "%s/%s", absolute ? absolute : copy, WRAPPER_NAME) < 0)
		return NULL;
	if (runs_wrapper(path, self))
		return path;
	free(path);
	return NULL;
}

/*
 * The installed wrapper: the link named WRAPPER_NAME beside the name this program was run by,
 * else the first in PATH, that leads to this program.
 */
static int find_wrapper(char **out, char **self_out, struct error *err)
{
	cleanup_free char *self = realpath("/proc/self/exe", NULL);
	const char *invoked = program_invocation_name;
	const char *slash = strrchr(invoked, '/');
	const char *path_env = getenv("PATH");

	*out = NULL;
	if (!self)
		return error_set(err, errno, "resolve `/proc/self/exe`");
	if (slash)
		*out = wrapper_in(invoked, (size_t)(slash - invoked), self);
	for (const char *p = path_env; !*out && p && *p;) {
		size_t len = strcspn(p, ":");

		*out = wrapper_in(p, len, self);
		p += len + (p[len] == ':');
	}
	if (!*out)
		return error_set(err, 0,
				 "no `" WRAPPER_NAME "` link to this program (`%s`) beside it or "
				 "in PATH: the installation makes one in its bindir; or `ln -s %s "
				 "/usr/local/bin/" WRAPPER_NAME "`",
				 self, self);
	*self_out = TAKE_PTR(self);
	return 0;
}

static int print_entry(const struct docker_config_options *o, const char *wrapper,
		       struct error *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_free char *text = NULL;
	size_t len;

	if (!w)
		return error_set(err, ENOMEM, "daemon.json entry");
	json_w_object_begin(w);
	json_w_key(w, "runtimes");
	json_w_object_begin(w);
	json_w_key(w, o->name);
	json_w_object_begin(w);
	json_w_key(w, "path");
	json_w_string(w, wrapper);
	json_w_key(w, "runtimeArgs");
	json_w_array_begin(w);
	json_w_string(w, "--profile-dir");
	json_w_string(w, o->profile_dir);
	if (o->args)
		json_w_string(w, "--args");
	if (o->format) {
		json_w_string(w, "--format");
		json_w_string(w, o->format);
	}
	json_w_array_end(w);
	json_w_object_end(w);
	json_w_object_end(w);
	json_w_object_end(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return error_set(err, errno, "write the entry");
	return 0;
}

/* Connect to @host (`unix://PATH`), with a timeout on every read and write. */
static int docker_connect(const char *host, struct error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval timeout = { .tv_sec = DOCKER_TIMEOUT_S };
	const char *path;
	cleanup_close int fd = -1;

	if (strncmp(host, UNIX_PREFIX, strlen(UNIX_PREFIX)) != 0)
		return error_set(err, 0, "`%s` is not a unix:// socket, the only kind asked here",
				 host);
	path = host + strlen(UNIX_PREFIX);
	if (!*path || strlen(path) >= sizeof(addr.sun_path))
		return error_set(err, 0, "`%s`: a socket path of 1 to %zu bytes", host,
				 sizeof(addr.sun_path) - 1);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, errno, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) < 0)
		return error_set(err, errno, "socket timeout");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return error_set(err, errno, "connect to `%s`", path);
	return TAKE_FD(fd);
}

/* The value of header @name in @headers (lines ending \r\n), NULL when absent. */
static const char *header_value(const char *headers, const char *name, size_t *len)
{
	size_t name_len = strlen(name);

	for (const char *line = headers; line && *line;) {
		const char *end = strstr(line, "\r\n");

		if (!end)
			break;
		if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
			const char *v = line + name_len + 1;

			v += strspn(v, " \t");
			*len = (size_t)(end - v);
			return v;
		}
		line = end + 2;
	}
	return NULL;
}

/* Decode a chunked body in place (an HTTP/1.0 request should get none; a proxy may differ). */
static int dechunk(char *body, size_t *len, struct error *err)
{
	char *in = body, *out = body, *end = body + *len;

	for (;;) {
		char *after;
		unsigned long size = strtoul(in, &after, 16);
		char *line_end = strstr(after, "\r\n");

		if (after == in || !line_end || line_end + 2 > end)
			return error_set(err, 0, "a malformed chunked answer");
		in = line_end + 2;
		if (size == 0)
			break;
		if (size > (size_t)(end - in) || (size_t)(end - in) - size < 2)
			return error_set(err, 0, "a truncated chunked answer");
		memmove(out, in, size);
		out += size;
		in += size + 2;
	}
	*len = (size_t)(out - body);
	*out = '\0';
	return 0;
}

/* GET @target from the daemon at @host: the body of a 200 answer, parsed. */
static int docker_get(const char *host, const char *target, struct json **out, struct error *err)
{
	cleanup_close int fd = docker_connect(host, err);
	cleanup_free char *request = NULL, *answer = NULL;
	const char *headers, *encoding;
	char *body;
	size_t len, n;
	int status, ret;

	if (fd < 0)
		return -1;
	ret = asprintf(&request,
		       "GET %s HTTP/1.0\r\nHost: docker\r\n"
		       "User-Agent: oci-seccomp-recorder\r\n\r\n",
		       target);
	if (ret < 0) {
		request = NULL;
		return error_set(err, ENOMEM, "request");
	}
	len = (size_t)ret;
	for (size_t done = 0; done < len; done += n) {
		ssize_t w = write(fd, request + done, len - done);

		if (w < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (w < 0)
			return error_set(err, errno, "send GET %s", target);
		n = (size_t)w;
	}
	if (fs_read_fd(fd, "the daemon's answer", INFO_MAX_BYTES, &answer, &len, err) < 0)
		return -1;
	if (sscanf(answer, "HTTP/1.%*1[01] %3d", &status) != 1)
		return error_set(err, 0, "the answer to GET %s is not HTTP", target);
	headers = strstr(answer, "\r\n");
	body = strstr(answer, "\r\n\r\n");
	if (!headers || !body)
		return error_set(err, 0, "the answer to GET %s has no end of headers", target);
	body[2] = '\0'; /* the headers end with their last \r\n */
	body += 4;
	len -= (size_t)(body - answer);
	if (status != 200)
		return error_set(err, 0, "GET %s: the daemon answered %d", target, status);
	encoding = header_value(headers + 2, "Transfer-Encoding", &n);
	if (encoding && n == strlen("chunked") && strncasecmp(encoding, "chunked", n) == 0 &&
	    dechunk(body, &len, err) < 0)
		return error_prefix(err, "GET %s: ", target);
	return json_parse(body, len, "the daemon's /info", out, err);
}

static void print_args(FILE *f, const struct json *args)
{
	for (size_t i = 0; args && json_type(args) == JSON_ARRAY && i < json_len(args); i++) {
		const char *a = json_string(json_at(args, i));

		fprintf(f, " %s", a ? a : "(not a string)");
	}
}

/* Ask the daemon at @host whether its runtime @o->name runs @wrapper; say it on stderr. */
static enum check_status check_daemon(const struct docker_config_options *o, const char *host,
				      const char *wrapper, const char *self)
{
	cleanup_json struct json *info = NULL;
	const struct json *runtimes, *runtime, *path;
	const char *version;
	struct error err = { 0 };

	if (docker_get(host, "/info", &info, &err) < 0) {
		fprintf(stderr, "cannot ask dockerd at `%s`: %s\n", host, err.msg);
		return CHECK_CANNOT_ASK;
	}
	version = json_string(json_get(info, "ServerVersion"));
	runtimes = json_get(info, "Runtimes");
	if (!runtimes || json_type(runtimes) != JSON_OBJECT) {
		fprintf(stderr, "cannot ask dockerd at `%s`: its /info has no `Runtimes` object\n",
			host);
		return CHECK_CANNOT_ASK;
	}
	fprintf(stderr, "dockerd %s at `%s`: ", version ? version : "(no version)", host);
	runtime = json_get(runtimes, o->name);
	if (!runtime) {
		fprintf(stderr,
			"no runtime `%s`: add the entry above to its daemon.json "
			"(/etc/docker/daemon.json) and reload it (SIGHUP, or systemctl "
			"reload docker)\n",
			o->name);
		return CHECK_NOT_CONFIGURED;
	}
	path = json_get(runtime, "path");
	if (!json_string(path) ||
	    (strcmp(json_string(path), wrapper) != 0 && !runs_wrapper(json_string(path), self))) {
		fprintf(stderr, "runtime `%s` runs `%s`, not this installation's `%s`\n", o->name,
			json_string(path) ? json_string(path) : "(no path)", wrapper);
		return CHECK_NOT_CONFIGURED;
	}
	fprintf(stderr, "runtime `%s` runs `%s` with runtimeArgs:", o->name, json_string(path));
	print_args(stderr, json_get(runtime, "runtimeArgs"));
	fprintf(stderr, "\n");
	return CHECK_CONFIGURED;
}

static int own_option(int opt, const char *arg, void *data)
{
	struct docker_config_options *o = data;

	switch (opt) {
	case 'n':
		o->name = arg;
		return 0;
	case 'O':
		o->profile_dir = arg;
		return 0;
	case 'a':
		o->args = true;
		return 0;
	case 'f':
		o->format = arg;
		return 0;
	case 'H':
		o->host = arg;
		return 0;
	case 'c':
		o->check = true;
		return 0;
	}
	return OPTIONS_UNKNOWN;
}

/* No --log-level nor --version: what it says goes to stdout and stderr as it is. */
static const struct option docker_config_longopts[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "profile-dir", required_argument, NULL, 'O' },
	{ "args", no_argument, NULL, 'a' },
	{ "format", required_argument, NULL, 'f' },
	{ "host", required_argument, NULL, 'H' },
	{ "check", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' }, /* of COMMON_OPTIONS, this one only */
	{ NULL, 0, NULL, 0 },
};

static const struct command_line docker_config_line = {
	.name = "docker-config",
	.usage = usage,
	.shortopts = "h",
	.longopts = docker_config_longopts,
	.log_level = LOG_LEVEL_WARNING,
	.own = own_option,
};

/* argv -> @o: a value the entry cannot hold is refused here. */
static int parse(int argc, char **argv, struct docker_config_options *o)
{
	int status = options_parse(&docker_config_line, argc, argv, o, NULL);
	const char *env = getenv("DOCKER_HOST");
	enum profile_format fmt;

	if (status != OPTIONS_RUN)
		return status;
	if (optind < argc) {
		log_error("docker-config: unexpected argument `%s`", argv[optind]);
		return EXIT_USAGE;
	}
	if (!*o->name) {
		log_error("docker-config: --name is empty");
		return EXIT_USAGE;
	}
	if (o->profile_dir[0] != '/' || !shell_safe(o->profile_dir)) {
		log_error("docker-config: --profile-dir `%s` must be an absolute path of "
			  "[A-Za-z0-9._/+=:,@%%-] (Docker 20.10 passes runtimeArgs through a shell "
			  "script, unquoted)",
			  o->profile_dir);
		return EXIT_USAGE;
	}
	if (o->format && profile_format_parse(o->format, &fmt) < 0) {
		log_error("docker-config: --format `%s`: %s", o->format, profile_format_names());
		return EXIT_USAGE;
	}
	if (!o->host)
		o->host = env && *env ? env : DEFAULT_DOCKER_HOST;
	return OPTIONS_RUN;
}

/* The entry on stdout, what the daemon says on stderr: the exit status. */
static int run(const struct docker_config_options *o)
{
	cleanup_free char *wrapper = NULL, *self = NULL;
	struct error err = { 0 };
	enum check_status status;

	if (find_wrapper(&wrapper, &self, &err) < 0 || print_entry(o, wrapper, &err) < 0) {
		log_error("docker-config: %s", err.msg);
		return DOCKER_CONFIG_ERROR;
	}
	if (!shell_safe(wrapper))
		fprintf(stderr,
			"warning: `%s` holds a character that Docker 20.10's runtime "
			"script does not quote\n",
			wrapper);
	status = check_daemon(o, o->host, wrapper, self);
	return o->check ? (int)status : 0;
}

int cmd_docker_config(int argc, char **argv)
{
	struct docker_config_options o = { .name = DEFAULT_RUNTIME_NAME,
					   .profile_dir = DEFAULT_PROFILE_DIR };
	int status = parse(argc, argv, &o);

	return status == OPTIONS_RUN ? run(&o) : status;
}
