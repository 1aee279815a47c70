// SPDX-License-Identifier: GPL-2.0-or-later
/* The tenant limit and the node's share: a few namespaces at their limit never fill the node. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/cleanup.h"
#include "oci/tenant_limit.h"
#include <linux/types.h>
#include "recorder.h"
#include "tap.h"

#define LIMIT 32
#define RESERVE 32 /* the slots the node keeps for namespaces that run none */

static int fds[2 * MAX_RECORDINGS];
static int n_fds;

/* Take @n places of namespace @tenant; returns how many were given. */
static int take(const char *dir, const char *tenant, int n, struct error *err)
{
	int got = 0;

	for (int i = 0; i < n; i++) {
		int fd = tenant_limit_take(dir, tenant, LIMIT, err);

		if (fd < 0)
			break;
		fds[n_fds++] = fd;
		got++;
	}
	return got;
}

int main(void)
{
	cleanup_free char *dir = tap_mkdtemp("tenants");
	struct error err = { 0 };
	char name[32];
	int got = 0;

	/* One namespace is held to its limit; the next start of it names the limit. */
	is_int(take(dir, "ns-0", LIMIT + 1, &err), LIMIT, "a namespace gets its %d places", LIMIT);
	like(err.msg, "namespace `ns-0` already has 32 recordings running on this node, its limit",
	     "the 33rd names the limit");
	/* Seven namespaces at their limit: the node's share for second starts is 224. */
	for (int ns = 1; ns < 7; ns++) {
		snprintf(name, sizeof(name), "ns-%d", ns);
		got += take(dir, name, LIMIT, &err);
	}
	is_int(got, 6 * LIMIT, "six more namespaces get theirs");
	/* The eighth namespace starts one, from the reserve, but no second one. */
	memset(&err, 0, sizeof(err));
	is_int(take(dir, "ns-7", LIMIT, &err), 1, "an eighth namespace at the share gets one");
	like(err.msg, "the last 32 are kept for namespaces that run none",
	     "its second is refused, naming the reserve: %s", err.msg);
	/* Every namespace that runs none still gets one, until the node's 256 slots are taken. */
	got = 0;
	for (int ns = 8; ns < 8 + RESERVE; ns++) {
		snprintf(name, sizeof(name), "ns-%d", ns);
		got += take(dir, name, 1, &err);
	}
	is_int(got, RESERVE - 1, "31 more namespaces start one each (the reserve less ns-7's)");
	is_int(n_fds, MAX_RECORDINGS, "the node runs 256 recordings");
	memset(&err, 0, sizeof(err));
	is_int(take(dir, "ns-full", 1, &err), 0, "the 257th is refused");
	like(err.msg, "the node 256 of its 256 slots", "and says the node is full: %s", err.msg);
	/* A recording that ends gives its slot back: a namespace with none gets it. */
	close(fds[0]);
	fds[0] = -1;
	is_int(take(dir, "ns-late", 1, &err), 1, "an ended recording's slot is taken again");
	for (int i = 0; i < n_fds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	tap_rmtree(dir);
	return done_testing();
}
