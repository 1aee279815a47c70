/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oci-seccomp-recorder-analyze (hook/main_analyze.c): the helper that holds libcrypto and the
 * hints' readers (libelf, capstone), run only when a digest or hints are asked for, so that the
 * program, and every tracer it forks, maps neither.
 */
#ifndef ANALYZE_HELPER_H
#define ANALYZE_HELPER_H

#define ANALYZE_HELPER_NAME "oci-seccomp-recorder-analyze"
/* Its path instead of the one beside the program (test programs, which live elsewhere). */
#define ANALYZE_HELPER_ENV "OCI_SECCOMP_RECORDER_ANALYZE"

/* `digest`: the SHA-256 of stdin, printed as `sha256:HEX`. */
#define ANALYZE_CMD_DIGEST "digest"
#define ANALYZE_DIGEST_MAX_BYTES (256 * 1024 * 1024)
/* `hints [LOG OPTIONS] STEM EXE...`: the root on stdin (an O_PATH descriptor), STEM.hints.json
 * written. */
#define ANALYZE_CMD_HINTS "hints"

#endif /* ANALYZE_HELPER_H */
