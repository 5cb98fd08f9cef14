// SPDX-License-Identifier: MIT
/*
 * A module whose init fails: the program is the failed insmod.  Its
 * module_exit and main() must not run.
 */
#include <stdio.h>

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

static void *scratch;

static int __init failing_init(void)
{
	scratch = kmalloc(4096, GFP_KERNEL);
	kfree(scratch);
	pr_info("failing_init: giving up\n");
	return -ENOMEM;
}

static void __exit failing_exit(void)
{
	pr_err("module_exit ran after a failed init\n");
}

module_init(failing_init);
module_exit(failing_exit);
MODULE_LICENSE("GPL");

int main(void)
{
	printf("main ran after a failed module init\n");
	return 0;
}
