// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A static program without libc whose only system calls are its own instructions: sync, then
 * exit. test_hints reads their numbers from the code (the number loaded just before each).
 */
#if defined(__x86_64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov $162, %eax\n" /* sync */
	"	syscall\n"
	"	xor %edi, %edi\n"
	"	mov $60, %eax\n" /* exit */
	"	syscall\n");
#elif defined(__aarch64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov x8, #81\n" /* sync */
	"	svc #0\n"
	"	mov x0, #0\n"
	"	mov x8, #93\n" /* exit */
	"	svc #0\n");
#else
#error "raw_sites is for x86_64 and aarch64"
#endif
