/* SPDX-License-Identifier: MIT */
/*
 * kernel/fork.c - the allocator across fork(): one protocol, in steps that
 * the subsystems register here (as the kernel's copy_process() calls into
 * mm/ for the address space).
 *
 * 1. The problem.  fork() copies the address space with every lock as it
 *    was at that instant, and only the forking thread goes on in the
 *    child.  A lock another thread held then is never released there; a
 *    structure another thread was changing is half changed.  Some state is
 *    also per process and must be made again in the child (the rseq fence
 *    registration, per-CPU ownership tokens made from thread ids), and
 *    memory shared with the parent on purpose (vmalloc's physical memory
 *    file) must become the child's own copy.
 *
 * 2. The steps.  A subsystem registers a struct fork_step (kernel/fork.h),
 *    ordered by FORK_ORDER_*, which is the library's lock order
 *    (docs/overview.md, "Lock order"): outermost first, the sleeping
 *    slab_mutex before every spinlock, printk's lock last.  A fork runs
 *      prepare  every step's, in order, before any lock: what may fail
 *               (setting up the child's copy of something).  If one
 *               fails, the earlier ones are aborted in reverse;
 *      lock     every step's, in order;
 *      fork(2);
 *      parent   in the parent, in reverse order: release;
 *      child    in the child, in reverse order: repair, then release.
 *    Steps registered with ukmem_register_fork_hook() (lock_all,
 *    unlock_all) are the older form: their lock_all always runs and their
 *    unlock_all runs in both processes.
 *
 * 3. Who runs it.  Boot installs ukmem_fork_prepare(), ukmem_fork_parent()
 *    and ukmem_fork_child() with pthread_atfork(), once; the malloc front
 *    end does too, at load.  Registered that early, ours is the last
 *    prepare handler to run and the first parent/child one (glibc runs
 *    prepare handlers in reverse), so other libraries' handlers may still
 *    allocate.  A plain fork() cannot fail from a handler: if a prepare
 *    fails there, the parent goes on and the child kills itself with
 *    SIGKILL before it runs any program code (as if the OOM killer had
 *    taken it at birth), after a one-line report in the parent.
 *    ukmem_fork() is the fork that can fail: it runs the prepares first
 *    and returns -1 with errno (ENOMEM) without forking.  The malloc
 *    front end does not interpose fork(): the memory it hands out is
 *    private anonymous memory that fork(2) copies by itself, so none of
 *    its steps can fail, and interposing a libc entry point for nothing
 *    would only put every program at risk (static links, programs that
 *    define fork).  Programs that vmalloc and need a fork that fails
 *    cleanly call ukmem_fork().
 *
 * 4. Modes.  Which locks a fork takes depends on who forks:
 *    - one thread in the process (glibc's __libc_single_threaded, the same
 *      test glibc's own fork uses to skip its malloc locks): no lock at
 *      all.  Nobody else can hold one; a lock the forking thread holds
 *      belongs to code a signal handler interrupted, and that code
 *      releases it, in each process, when the handler returns.  Taking it
 *      would wait for ever.  This makes fork() from a signal handler safe
 *      in a single-threaded program at any point, inside the allocator
 *      included;
 *    - several threads, ordinary code: every lock, waiting as long as it
 *      takes;
 *    - several threads, interrupt context (a handler installed with
 *      ukmem_sigaction()): a handler must never wait for a lock (its own
 *      thread may hold it), so every lock is only tried, for a while, and
 *      a lock that stays busy is left alone: the child inherits it held
 *      and says so once.  POSIX no longer counts fork() as
 *      async-signal-safe and glibc, in this case, waits for its own locks;
 *      this is best effort, and the child of such a fork should only
 *      exec or _exit, as POSIX asks of it anyway.
 *    A fork never runs inside another: from the first prepare to the last
 *    parent/child step every signal that can be blocked is (faults are
 *    not), so a handler cannot interrupt the protocol.  A fork from inside
 *    the window all the same (a fault handler) takes no lock and runs no
 *    step.
 *
 * 5. Taking and releasing.  fork_lock() and fork_mutex_lock() store
 *    fork_token() in the lock (a value no other holder uses: arch_spin_*
 *    compare and swap, they never overwrite a holder's value), so the
 *    release steps free exactly the locks this fork took, whatever the
 *    mode, in the parent and in the child.  The lock order checker is off
 *    for the forking thread meanwhile: fork holds hundreds of locks of
 *    one rank at once.
 */
#include <errno.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"

/* About 22 subsystems register a step when all are in use: room to grow. */
#define MAX_FORK_STEPS		40
#define FORK_TRY_ROUNDS		2000	/* interrupt context: tries per busy lock */
#define FORK_HELD		0x80000000u

enum fork_mode {
	FORK_NOLOCK,	/* one thread */
	FORK_WAIT,	/* several threads, ordinary code */
	FORK_TRY,	/* several threads, interrupt context */
};

struct fork_entry {
	struct fork_step step;
	void (*hook_lock)(void);	/* ukmem_register_fork_hook() */
	void (*hook_unlock)(void);
};

/*
 * Append-only: a fork reads entries [0, nr_steps) without a lock (a
 * single-threaded fork may interrupt a registration), so an entry is
 * filled before nr_steps is raised, and never moved.
 */
static struct fork_entry steps[MAX_FORK_STEPS];
static unsigned int nr_steps;
static DEFINE_SPINLOCK(steps_lock);	/* registrations */

/* The forking thread's state, from prepare to parent/child. */
static __thread struct {
	int depth;			/* forks in progress on this thread */
	enum fork_mode mode;
	bool prepared;			/* ukmem_fork() ran the prepares */
	bool doomed;			/* a prepare failed: the child dies */
	unsigned int nr;		/* steps taking part, in seq[] */
	unsigned char seq[MAX_FORK_STEPS];
	unsigned int missed;		/* locks a FORK_TRY fork left alone */
	u32 token;
	u64 sigmask;
} cur __attribute__((tls_model("initial-exec")));

static void add_entry(const struct fork_entry *e)
{
	arch_spin_lock(&steps_lock);
	if (WARN_ON_ONCE(nr_steps >= MAX_FORK_STEPS)) {
		arch_spin_unlock(&steps_lock);
		return;
	}
	steps[nr_steps] = *e;
	__atomic_store_n(&nr_steps, nr_steps + 1, __ATOMIC_RELEASE);
	arch_spin_unlock(&steps_lock);
}

void fork_register_step(const struct fork_step *step)
{
	struct fork_entry e = { .step = *step };

	add_entry(&e);
}

const struct fork_step *fork_step_find(const char *name)
{
	unsigned int n = __atomic_load_n(&nr_steps, __ATOMIC_ACQUIRE), i;

	for (i = 0; i < n; i++)
		if (!strcmp(steps[i].step.name, name))
			return &steps[i].step;
	return NULL;
}

void ukmem_register_fork_hook(int order, void (*lock_all)(void), void (*unlock_all)(void))
{
	struct fork_entry e = {
		.step = { .name = "hook", .order = order },
		.hook_lock = lock_all,
		.hook_unlock = unlock_all,
	};

	add_entry(&e);
}

/* The registered steps in lock order (stable: equal orders by registration). */
static void order_steps(void)
{
	unsigned int n = __atomic_load_n(&nr_steps, __ATOMIC_ACQUIRE), i, j;

	for (i = 0; i < n; i++) {
		unsigned char k = (unsigned char)i;

		for (j = i; j > 0 && steps[cur.seq[j - 1]].step.order > steps[k].step.order; j--)
			cur.seq[j] = cur.seq[j - 1];
		cur.seq[j] = k;
	}
	cur.nr = n;
}

/* ---- what the steps call ---- */

u32 fork_token(void)
{
	return cur.token;
}

bool fork_waits(void)
{
	return cur.mode == FORK_WAIT;
}

/* Take a lock word (0: free) for this fork, as the mode says. */
static bool take_word(int *word)
{
	unsigned int tries = 0;

	if (cur.mode == FORK_NOLOCK)
		return false;
	/*
	 * Held by this thread (spin_lock() stores its owner): the code a
	 * plain signal handler interrupted, which goes on holding it in both
	 * processes and lets go itself, as with a mutex (fork_mutex_lock()).
	 * Waiting would never end.
	 */
	if (__atomic_load_n(word, __ATOMIC_RELAXED) == spin_owner_id())
		return false;
	for (;;) {
		int free = 0;

		if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(word, &free, (int)cur.token, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
		if (cur.mode == FORK_TRY && ++tries >= FORK_TRY_ROUNDS) {
			cur.missed++;
			return false;
		}
		if (++tries % 128)
			arch_cpu_relax();
		else
			arch_yield();
	}
}

static void release_word(int *word)
{
	int mine = (int)cur.token;

	__atomic_compare_exchange_n(word, &mine, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

bool fork_lock(spinlock_t *lock)
{
	return take_word(&lock->locked);
}

bool fork_lock_walk(spinlock_t *lock)
{
	int free = 0;

	if (cur.mode != FORK_NOLOCK)
		return take_word(&lock->locked);
	/* Alone: free means nobody is inside; held, the interrupted code is. */
	return __atomic_compare_exchange_n(&lock->locked, &free, (int)cur.token, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void fork_unlock(spinlock_t *lock)
{
	release_word(&lock->locked);
}

bool fork_holds(const spinlock_t *lock)
{
	return cur.mode != FORK_NOLOCK &&
	       __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == (int)cur.token;
}

/* ---- registries of objects with a lock each (fork_lock_list) ---- */

static inline spinlock_t *member_lock(const struct fork_lock_list *list, struct list_head *link)
{
	return (spinlock_t *)((char *)link + list->member_lock);
}

void fork_lock_list_add(struct fork_lock_list *list, struct list_head *link)
{
	spin_lock(&list->lock);
	if (!list->step_registered) {
		list->step_registered = true;
		fork_register_step(list->step);
	}
	list_add_tail(link, &list->members);
	spin_unlock(&list->lock);
}

void fork_lock_list_del(struct fork_lock_list *list, struct list_head *link)
{
	spin_lock(&list->lock);
	/* Asked under the lock: unlinking a neighbour rewrites these links. */
	if (link->next) {
		list_del(link);
		link->next = link->prev = NULL;
	}
	spin_unlock(&list->lock);
}

/* The members are walked only while the registry is held: it may be changing. */
void fork_lock_list_lock(struct fork_lock_list *list)
{
	struct list_head *link;

	if (!fork_lock(&list->lock))
		return;
	list_for_each(link, &list->members)
		fork_lock(member_lock(list, link));
}

void fork_lock_list_unlock(struct fork_lock_list *list)
{
	struct list_head *link;

	if (!fork_holds(&list->lock))
		return;
	list_for_each_prev(link, &list->members)
		fork_unlock(member_lock(list, link));
	fork_unlock(&list->lock);
}

/*
 * In a child's step: @owner (a thread id held in an owner word) stays the
 * owner only if it is the thread that forked, which goes on here under the
 * id it has now; any other owner does not exist in the child (0).
 */
int fork_child_owner(int owner)
{
	return owner && (u32)owner == (cur.token & ~FORK_HELD) ? current_tid() : 0;
}

bool fork_holds_mutex(const struct mutex *lock)
{
	return cur.mode != FORK_NOLOCK && READ_ONCE(lock->owner) == (int)cur.token;
}

bool fork_mutex_lock(struct mutex *lock)
{
	if (cur.mode == FORK_NOLOCK)
		return false;
	/*
	 * Held by this thread (the code a handler interrupted, or the code
	 * that forks, such as a boot hook): it goes on holding it in both
	 * processes and lets go itself.  Waiting would never end.
	 */
	if (mutex_held_by_current(lock)) {
		if (cur.mode == FORK_TRY)
			cur.missed++;
		return false;
	}
	if (cur.mode == FORK_WAIT) {
		mutex_lock_raw(lock);
	} else {
		unsigned int tries;

		for (tries = 0; !mutex_trylock_raw(lock); tries++) {
			if (tries >= FORK_TRY_ROUNDS) {
				cur.missed++;
				return false;
			}
			arch_yield();
		}
	}
	WRITE_ONCE(lock->owner, (int)cur.token);
	return true;
}

void fork_mutex_unlock(struct mutex *lock)
{
	if (READ_ONCE(lock->owner) != (int)cur.token)
		return;
	WRITE_ONCE(lock->owner, 0);
	mutex_unlock_raw(lock);
}

/* ---- the protocol ---- */

/* Every prepare in order; on a failure the earlier ones are aborted. */
static int run_prepares(void)
{
	unsigned int i;

	for (i = 0; i < cur.nr; i++) {
		const struct fork_step *st = &steps[cur.seq[i]].step;
		int err;

		if (!st->prepare)
			continue;
		err = st->prepare();
		if (!err)
			continue;
		pr_err("fork: %s could not prepare the child (error %d)\n", st->name, err);
		while (i-- > 0) {
			st = &steps[cur.seq[i]].step;
			if (st->prepare && st->abort)
				st->abort();
		}
		return err;
	}
	return 0;
}

static enum fork_mode choose_mode(void)
{
	if (arch_single_threaded())
		return FORK_NOLOCK;
	return in_interrupt() ? FORK_TRY : FORK_WAIT;
}

/* The token and the mode, before the prepares (which may take locks too). */
static void fork_choose(void)
{
	cur.token = FORK_HELD | (u32)current_tid();
	cur.mode = choose_mode();
}

/* The mode, then the steps: a waiting fork lets a boot finish registering its own. */
static void fork_plan(void)
{
	fork_choose();
	if (cur.mode == FORK_WAIT)
		boot_wait_for_fork();
	order_steps();
}

/*
 * Begin: signals blocked, the steps ordered (unless ukmem_fork() did), the
 * mode chosen.  A fork inside this thread's fork (only a fault handler can
 * start one) leaves the outer one's state alone and takes nothing; it
 * prints nothing either, since the outer one may hold printk's lock.
 */
static void fork_begin(void)
{
	u64 mask = arch_block_signals();

	if (cur.depth++)
		return;
	cur.sigmask = mask;
	cur.missed = 0;
	if (!cur.prepared)
		fork_plan();
	else
		fork_choose();
}

void ukmem_fork_prepare(void)
{
	unsigned int i;

	fork_begin();
	if (cur.depth > 1)
		return;
	if (!cur.prepared) {
		cur.doomed = run_prepares() != 0;
		if (cur.doomed)
			pr_err("fork: the child cannot have its own copy of the allocator; "
			       "it will be killed\n");
	}
	lockdep_off();
	for (i = 0; i < cur.nr; i++) {
		const struct fork_entry *e = &steps[cur.seq[i]];

		if (e->hook_lock) {
			e->hook_lock();
			continue;
		}
		/* lock() runs alone too: fork_lock() takes nothing then, fork_lock_walk() may. */
		if (cur.mode != FORK_NOLOCK) {
			if (e->step.mutex)
				fork_mutex_lock(e->step.mutex);
			if (e->step.spinlock)
				fork_lock(e->step.spinlock);
		}
		if (e->step.lock)
			e->step.lock();
	}
}

/* The last step ran: this thread's state cleared, its signals back. */
static void fork_end(void)
{
	cur.depth = 0;
	cur.prepared = false;
	cur.doomed = false;
	lockdep_on();
	arch_restore_signals(cur.sigmask);
}

/* After fork(2), in either process: every step's parent or child, in reverse. */
static void fork_finish(bool child)
{
	unsigned int i;

	if (cur.depth > 1) {
		cur.depth--;
		return;
	}
	for (i = cur.nr; i-- > 0;) {
		const struct fork_entry *e = &steps[cur.seq[i]];
		void (*fn)(void) = child ? e->step.child : e->step.parent;

		if (e->hook_unlock)
			e->hook_unlock();
		else if (fn)
			fn();
		if (e->step.spinlock)
			fork_unlock(e->step.spinlock);
		if (e->step.mutex)
			fork_mutex_unlock(e->step.mutex);
	}
	if (cur.missed && !child)
		pr_warn_once("fork: from a signal handler, %u allocator lock(s) stayed busy: "
			     "the child inherits them held\n", cur.missed);
	fork_end();
}

void ukmem_fork_parent(void)
{
	fork_finish(false);
}

void ukmem_fork_child(void)
{
	if (cur.doomed)
		arch_kill_self();
	arch_random_fork_child();
	locking_fork_child();
	fork_finish(true);
}

/**
 * ukmem_fork - fork() that fails when the child cannot have its own copy
 *
 * Runs every step's prepare first: if one fails, nothing is forked and
 * -1 is returned with errno set (ENOMEM when memory is short).  Otherwise
 * fork() as usual, the atfork handlers included.  Context: process, or a
 * signal handler (as fork() itself).
 */
pid_t ukmem_fork(void)
{
	u64 mask;
	int err, pid;

	ukmem_install_atfork();
	if (cur.depth) {
		/* Inside a fork's window (a fault handler): as fork() would be. */
		pid = arch_fork();
		goto out;
	}
	/* No handler may fork between the prepares and the fork itself. */
	mask = arch_block_signals();
	fork_plan();
	err = run_prepares();
	if (err) {
		arch_restore_signals(mask);
		errno = -err;
		return -1;
	}
	cur.prepared = true;
	pid = arch_fork();	/* the atfork handlers take the locks */
	cur.prepared = false;
	arch_restore_signals(mask);
out:
	if (pid < 0) {
		errno = -pid;
		return -1;
	}
	return pid;
}

int ukmem_install_atfork(void)
{
	static int installed;

	if (__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL))
		return 0;
	return arch_atfork(ukmem_fork_prepare, ukmem_fork_parent, ukmem_fork_child);
}

/*
 * @word, a lock's holder, is this thread's own fork hold: the thread
 * that forks has called the allocator between ukmem's prepare and its
 * parent or child step (a pthread_atfork() handler registered before
 * ukmem's, when the library was loaded late with dlopen(), or a fork
 * step), and waits for itself.  An abort with a line on stderr, not the
 * silent hang with every signal blocked.
 */
void fork_reentry_check(int word)
{
	static const char msg[] =
		"fork: the allocator was called while this thread's fork() holds its locks "
		"(a pthread_atfork() handler that runs after ukmem's prepare; register it "
		"after the library is loaded)\n";

	if (likely(!word || (u32)word != (FORK_HELD | (u32)current_tid())))
		return;
	/* Straight to stderr: the fork holds the log buffer's lock too, most likely. */
	arch_write(2, msg, sizeof(msg) - 1);
	arch_abort();
}

/* ---- boot ---- */

void fork_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	fork_register_step(&printk_fork_step);
}
