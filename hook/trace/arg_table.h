/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The BPF map arg_specs, filled from the table of profile/arg_specs.c. */
#ifndef ARG_TABLE_H
#define ARG_TABLE_H

#include "base/error.h"

/* Fill the BPF map arg_specs (@fd) for every ABI of this host. */
int arg_table_fill(int fd, struct error *err);

#endif /* ARG_TABLE_H */
