/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The subcommands main() dispatches to; each returns the process exit status. */
#ifndef COMMANDS_H
#define COMMANDS_H

/* Exit status of a command that failed before or after running the workload. */
#define EXIT_RECORDER_FAILED 125

int cmd_record(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_runtime(int argc, char **argv);
/* The wrapper called by its link's name: every argument is runc's. */
int cmd_runtime_wrapper(int argc, char **argv);
int cmd_docker_config(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);

#endif /* COMMANDS_H */
