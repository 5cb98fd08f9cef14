/* SPDX-License-Identifier: MIT */
/*
 * A program built with -fsanitize=thread, run with the malloc front end
 * preloaded (tests/CMakeLists.txt).  With gcc's libtsan the front end
 * comes first and is called during TSan's own start, before its
 * interceptors work: it died of SIGSEGV there, silently (the boot's
 * setjmp() jumped to 0).  Now the front end refuses with a line on
 * stderr, which the test looks for; under clang's TSan, linked into the
 * program, the front end is never called and the program prints "ok"
 * (the test then fails: it is built with the project's compiler).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *worker(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		char *p = malloc(16 + (size_t)i);

		if (!p)
			return (void *)1;
		memset(p, i, 16 + (size_t)i);
		free(p);
	}
	return arg;
}

int main(void)
{
	pthread_t t[2];
	void *ret[2] = { (void *)1, (void *)1 };

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], &ret[i]);
	if (ret[0] || ret[1])
		return 1;
	puts("ok");
	return 0;
}
