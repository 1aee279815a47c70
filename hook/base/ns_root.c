// SPDX-License-Identifier: GPL-2.0-or-later
/* A mount namespace's root: a child joins it, opens "/", and sends the descriptor back. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "base/cleanup.h"
#include "base/ns_root.h"

static void __attribute__((noreturn)) child(int mnt_ns_fd, int sock)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	int fd;

	/* setns(CLONE_NEWNS) sets root and cwd to the namespace's root mount, as a join does. */
	if (setns(mnt_ns_fd, CLONE_NEWNS) < 0 ||
	    (fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		byte = (char)errno;
		(void)!write(sock, &byte, 1);
		_exit(1);
	}
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	_exit(sendmsg(sock, &msg, 0) == 1 ? 0 : 1);
}

int ns_open_root(int mnt_ns_fd, struct error *err)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd = -1, status;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return error_set(err, errno, "socketpair for the mount namespace's root");
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return error_set(err, errno, "fork to join the mount namespace");
	}
	if (pid == 0) {
		close(sv[0]);
		child(mnt_ns_fd, sv[1]);
	}
	close(sv[1]);
	do
		n = recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cm = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (fd >= 0)
		return fd;
	return error_set(err, n == 1 ? (unsigned char)byte : 0,
			 "open the root of the container's mount namespace");
}
