/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hints' list of what ran: the files a recording's tasks mapped executable (mapped_files map). */
#ifndef MAPPED_FILES_H
#define MAPPED_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/strv.h"
#include "recorder.h"

/*
 * @m's path as its task saw it ("/usr/lib/x.so") into @out; false when it cannot be opened
 * again by that path (cut short, a component cut, a file of no mounted file system).
 */
bool mapped_file_path(const struct mapped_file *m, char *out, size_t size);

/*
 * Under the tracers' setup lock: forget the entries of @slot in the map @map_fd (of any
 * generation: a dead tracer's too). With @out, the paths of generation @gen are added to it
 * first, sorted and once each.
 */
int mapped_files_take(int map_fd, uint32_t slot, uint32_t gen, struct strv *out, struct error *err);

#endif /* MAPPED_FILES_H */
