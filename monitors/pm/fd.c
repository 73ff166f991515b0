/*
 * Descriptors, open files and pipes. An open file is the console, a file of the
 * FileSystem open for reading (with its offset), or one end of a pipe the
 * manager holds (PM_PIPE_BUF bytes). Reads of an empty pipe wait while it has
 * writers (then end of file); writes to a full one wait while it has readers;
 * a write nobody can read fails with EPIPE, and SIGPIPE ends the writer unless
 * it ignores or catches it (its handler is not run: the thread waits in its
 * call, and EPIPE tells it).
 * Invariants: pm.h.
 */
#include "pm.h"
#include <fluke/fs.h>
#include <fluke/console.h>
#include <fluke/abi/error.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

enum { F_FREE, F_CONSOLE, F_FILE, F_PIPE_READ, F_PIPE_WRITE };

static struct file {
	uint32_t kind, refs;
	uint32_t handle, offset;	/* F_FILE */
	uint32_t pipe;			/* F_PIPE_* */
} files[PM_FILES];

static struct pipe {
	uint32_t readers, writers;	/* both 0: free */
	uint32_t head, count;
	char buf[PM_PIPE_BUF];
} pipes[PM_PIPES];

static int console = -1;		/* the console's file, once made */

int pm_wait(uint32_t slot, uint32_t pid, uint32_t seq)
{
	if (pm.idle == 0)
		return PM_WOULD_BLOCK;
	fluke_cond_wait(&pm.changed, &pm.lock);
	struct fluke_child *c = &pm.children[slot];
	return c->pid == pid && c->state == MON_RUNNING && procs[slot].sigseq == seq ? 0 : EINTR;
}

static int file_new(uint32_t kind)
{
	for (int f = 0; f < PM_FILES; f++) {
		if (files[f].kind == F_FREE) {
			memset(&files[f], 0, sizeof(files[f]));
			files[f].kind = kind;
			files[f].refs = 1;
			return f;
		}
	}
	return -1;
}

int pm_file_share(int f)
{
	if (f >= 0)
		files[f].refs++;
	return f;
}

int pm_console_file(void)
{
	if (console < 0 && (console = file_new(F_CONSOLE)) >= 0)
		files[console].refs = 0;
	return pm_file_share(console);
}

static void file_drop(int f)
{
	struct file *fl = &files[f];
	if (--fl->refs)
		return;
	if (fl->kind == F_PIPE_READ)
		pipes[fl->pipe].readers--;
	if (fl->kind == F_PIPE_WRITE)
		pipes[fl->pipe].writers--;
	if (fl->kind == F_PIPE_READ || fl->kind == F_PIPE_WRITE)
		fluke_cond_broadcast(&pm.changed);
	if (fl->kind != F_CONSOLE)	/* the console's file stays, with no refs */
		fl->kind = F_FREE;
}

/* The open file of slot's fd, or NULL. */
static struct file *file_of(uint32_t slot, int fd)
{
	if (fd < 0 || fd >= FLUKE_PROCESS_FDS || procs[slot].fds[fd] < 0)
		return 0;
	return &files[procs[slot].fds[fd]];
}

static int lowest_free(uint32_t slot)
{
	for (int fd = 0; fd < FLUKE_PROCESS_FDS; fd++)
		if (procs[slot].fds[fd] < 0)
			return fd;
	return -1;
}

static int read_pipe(uint32_t slot, struct pipe *p, char *buf, uint32_t max, uint32_t *got)
{
	uint32_t pid = pm.children[slot].pid, seq = procs[slot].sigseq;
	int err;
	while (p->count == 0 && p->writers > 0)
		if ((err = pm_wait(slot, pid, seq)) != 0)
			return err;
	uint32_t n = p->count < max ? p->count : max;
	for (uint32_t i = 0; i < n; i++)
		buf[i] = p->buf[(p->head + i) % PM_PIPE_BUF];
	p->head = (p->head + n) % PM_PIPE_BUF;
	p->count -= n;
	*got = n;
	if (n)
		fluke_cond_broadcast(&pm.changed);
	return 0;
}

int pm_read(uint32_t slot, int fd, char *buf, uint32_t max, uint32_t *got)
{
	struct file *f = file_of(slot, fd);
	*got = 0;
	if (!f || f->kind == F_PIPE_WRITE)
		return EBADF;
	if (max == 0)
		return 0;
	if (f->kind == F_CONSOLE)
		return pm_tty_read(slot, buf, max, got);
	if (f->kind == F_PIPE_READ)
		return read_pipe(slot, &pipes[f->pipe], buf, max, got);
	if (fluke_fs_read(f->handle, f->offset, buf, max, got) != FLUKE_SUCCESS)
		return EIO;
	f->offset += *got;
	return 0;
}

/* The rest of data (from *put on) into the pipe, waiting for room; EPIPE (and
 * SIGPIPE) once nobody reads. */
static int write_pipe(uint32_t slot, struct pipe *p, const char *data, uint32_t len,
		      uint32_t *put)
{
	uint32_t pid = pm.children[slot].pid, seq = procs[slot].sigseq;
	int err;
	while (*put < len) {
		if (p->readers == 0) {	/* a handler of SIGPIPE is not run: EPIPE says it */
			if (pm_fatal(slot, SIGPIPE))
				pm_terminate(slot, SIGPIPE);
			return EPIPE;
		}
		if (p->count == PM_PIPE_BUF) {
			if ((err = pm_wait(slot, pid, seq)) != 0)
				return err;
			continue;
		}
		while (*put < len && p->count < PM_PIPE_BUF) {
			p->buf[(p->head + p->count) % PM_PIPE_BUF] = data[(*put)++];
			p->count++;
		}
		fluke_cond_broadcast(&pm.changed);
	}
	return 0;
}

/* The console: a Console WRITE through slot's own client at the manager's
 * parent, on the serving thread's exchange, without the lock. */
static int write_console(uint32_t slot, const char *data, uint32_t len, struct fluke_rpc *up)
{
	struct fluke_client *cl = &pm.clients[pm.children[slot].client];
	fluke_rpc_begin(up, FLUKE_CONSOLE_WRITE);
	fluke_rpc_stamp(up);
	fluke_rpc_put(up, data, len);
	fluke_mutex_unlock(&pm.lock);
	int rc = fluke_rpc_call(&cl->up[FLUKE_SVC_CONSOLE], up);
	fluke_mutex_lock(&pm.lock);
	return rc == FLUKE_SUCCESS ? 0 : EIO;
}

int pm_write(uint32_t slot, int fd, struct fluke_rpc *rpc, struct fluke_rpc *up, uint32_t *put)
{
	struct file *f = file_of(slot, fd);
	uint32_t len = fluke_rpc_in_len(rpc), from = *put < len ? *put : len;
	*put = from;
	if (!f || (f->kind != F_CONSOLE && f->kind != F_PIPE_WRITE))
		return EBADF;
	if (f->kind == F_PIPE_WRITE)
		return write_pipe(slot, &pipes[f->pipe], rpc->in.data, len, put);
	*put = len;
	return write_console(slot, rpc->in.data + from, len - from, up);
}

int pm_open(uint32_t slot, const char *name, uint32_t flags, uint32_t *fd)
{
	uint32_t handle;
	int f, d = lowest_free(slot);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return EROFS;
	if (fluke_fs_open(name, &handle) != FLUKE_SUCCESS)
		return ENOENT;
	if (d < 0)
		return EMFILE;
	if ((f = file_new(F_FILE)) < 0)
		return ENFILE;
	files[f].handle = handle;
	procs[slot].fds[d] = f;
	*fd = d;
	return 0;
}

int pm_close(uint32_t slot, int fd)
{
	if (!file_of(slot, fd))
		return EBADF;
	file_drop(procs[slot].fds[fd]);
	procs[slot].fds[fd] = -1;
	return 0;
}

int pm_dup2(uint32_t slot, int fd, uint32_t newfd, uint32_t *got)
{
	if (!file_of(slot, fd))
		return EBADF;
	if (newfd == ~0u && (newfd = lowest_free(slot)) == ~0u)
		return EMFILE;
	if (newfd >= FLUKE_PROCESS_FDS)
		return EBADF;
	*got = newfd;
	if ((int)newfd == fd)
		return 0;
	if (procs[slot].fds[newfd] >= 0)
		pm_close(slot, newfd);
	procs[slot].fds[newfd] = pm_file_share(procs[slot].fds[fd]);
	return 0;
}

int pm_pipe(uint32_t slot, uint32_t *rfd, uint32_t *wfd)
{
	struct pipe *p = pipes;
	int r, w;
	while (p < pipes + PM_PIPES && (p->readers || p->writers))
		p++;
	if ((r = lowest_free(slot)) < 0)
		return EMFILE;
	procs[slot].fds[r] = PM_FILES;	/* taken, for the second search */
	w = lowest_free(slot);
	procs[slot].fds[r] = -1;
	if (w < 0)
		return EMFILE;
	if (p == pipes + PM_PIPES)
		return ENFILE;
	int fr = file_new(F_PIPE_READ), fw = fr < 0 ? -1 : file_new(F_PIPE_WRITE);
	if (fw < 0) {
		if (fr >= 0)
			files[fr].kind = F_FREE;
		return ENFILE;
	}
	memset(p, 0, sizeof(*p));
	p->readers = p->writers = 1;
	files[fr].pipe = files[fw].pipe = p - pipes;
	procs[slot].fds[r] = fr;
	procs[slot].fds[w] = fw;
	*rfd = r;
	*wfd = w;
	return 0;
}
