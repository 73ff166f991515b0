/* The FileSystem protocol: client stubs and the server-side dispatch. */
#include <fluke/fs.h>
#include <fluke/parent.h>
#include <fluke/proc.h>
#include <fluke/abi/error.h>
#include <stdlib.h>
#include <string.h>

/* The client exchange, begun with op. The port is looked up first: that may
 * itself be a call through the same exchange. */
static struct fluke_rpc *begin(uint32_t op)
{
	fluke_service(FLUKE_SVC_FS);
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, op);
	return rpc;
}

/* Call the file system with rpc->out ready. */
static int call(struct fluke_rpc *rpc)
{
	const fluke_ref_t *port = fluke_service(FLUKE_SVC_FS);
	return port ? fluke_rpc_call(port, rpc) : FLUKE_NOT_FOUND;
}

int fluke_fs_open(const char *name, uint32_t *handle)
{
	struct fluke_rpc *rpc = begin(FLUKE_FS_OPEN);
	if (fluke_rpc_put(rpc, name, strlen(name) + 1) != FLUKE_SUCCESS)
		return FLUKE_NOT_FOUND;
	int rc = call(rpc);
	*handle = rpc->in.arg[0];
	return rc;
}

int fluke_fs_read(uint32_t handle, uint32_t offset, void *buf, uint32_t max, uint32_t *got)
{
	struct fluke_rpc *rpc = begin(FLUKE_FS_READ);
	rpc->out.arg[0] = handle;
	rpc->out.arg[1] = offset;
	rpc->out.arg[2] = max;
	int rc = call(rpc);
	*got = 0;
	if (rc == FLUKE_SUCCESS) {
		uint32_t n = fluke_rpc_in_len(rpc);
		*got = n < max ? n : max;
		memcpy(buf, rpc->in.data, *got);
	}
	return rc;
}

int fluke_fs_stat(uint32_t handle, uint32_t *size)
{
	struct fluke_rpc *rpc = begin(FLUKE_FS_STAT);
	rpc->out.arg[0] = handle;
	int rc = call(rpc);
	*size = rpc->in.arg[0];
	return rc;
}

int fluke_fs_list(uint32_t index, char name[FLUKE_FS_NAME_MAX], uint32_t *size)
{
	struct fluke_rpc *rpc = begin(FLUKE_FS_LIST);
	rpc->out.arg[0] = index;
	int rc = call(rpc);
	*size = rpc->in.arg[0];
	name[0] = '\0';
	if (rc == FLUKE_SUCCESS) {
		uint32_t n = fluke_rpc_in_len(rpc);
		if (n > FLUKE_FS_NAME_MAX - 1)
			n = FLUKE_FS_NAME_MAX - 1;
		memcpy(name, rpc->in.data, n);
		name[n] = '\0';
	}
	return rc;
}

int fluke_fs_read_bulk(uint32_t handle, uint32_t offset, void *buf, uint32_t max,
		       uint32_t *got)
{
	struct fluke_rpc *rpc = begin(FLUKE_FS_READ_BULK);
	rpc->out.arg[0] = handle;
	rpc->out.arg[1] = offset;
	rpc->out.arg[2] = max;
	rpc->bulk = buf;
	rpc->bulk_len = max < FLUKE_RPC_BULK_MAX ? max : FLUKE_RPC_BULK_MAX;
	int rc = call(rpc);
	*got = rc == FLUKE_SUCCESS ? rpc->bulk_len : 0;
	rpc->bulk = 0;
	rpc->bulk_len = 0;
	return rc;
}

int fluke_fs_read_all(uint32_t handle, uint32_t offset, void *buf, uint32_t len)
{
	int bulk = 1;
	for (uint32_t got; len > 0; offset += got, buf = (char *)buf + got, len -= got) {
		uint32_t max = len < FLUKE_RPC_BULK_MAX ? len : FLUKE_RPC_BULK_MAX;
		int rc = bulk ? fluke_fs_read_bulk(handle, offset, buf, max, &got)
			      : FLUKE_INVALID_ARGUMENT;
		if (rc == FLUKE_INVALID_ARGUMENT) {	/* an older server: READ */
			bulk = 0;
			rc = fluke_fs_read(handle, offset, buf, len, &got);
		}
		if (rc != FLUKE_SUCCESS)
			return rc;
		if (got == 0)
			return FLUKE_INVALID_ARGUMENT;
	}
	return FLUKE_SUCCESS;
}

void fluke_fs_dispatch(const struct fluke_fs_server *s, void *ctx, struct fluke_rpc *rpc)
{
	struct fluke_rpc_msg *in = &rpc->in;
	char name[FLUKE_FS_NAME_MAX];
	const void *data;
	uint32_t word = 0, got = 0, len = fluke_rpc_in_len(rpc);
	int rc;
	switch (in->op) {
	case FLUKE_FS_OPEN:
		if (len == 0 || len > FLUKE_FS_NAME_MAX || in->data[len - 1]) {
			rc = FLUKE_NOT_FOUND;
			break;
		}
		rc = s->open(ctx, in->data, &word);
		break;
	case FLUKE_FS_READ:
		rc = s->read(ctx, in->arg[0], in->arg[1], rpc->out.data,
			     in->arg[2] < FLUKE_RPC_DATA ? in->arg[2] : FLUKE_RPC_DATA, &got);
		break;
	case FLUKE_FS_STAT:
		rc = s->stat(ctx, in->arg[0], &word);
		break;
	case FLUKE_FS_READ_BULK:
		if (!s->bulk || in->arg[2] == 0 || in->arg[2] > FLUKE_RPC_BULK_MAX) {
			rc = FLUKE_INVALID_ARGUMENT;
			break;
		}
		rc = s->bulk(ctx, in->arg[0], in->arg[1], in->arg[2], &data, &got);
		fluke_rpc_begin(rpc, rc);
		if (rc == FLUKE_SUCCESS) {
			rpc->out.arg[0] = got;
			rpc->bulk = (void *)data;	/* only sent from */
			rpc->bulk_len = got;
		}
		return;
	case FLUKE_FS_LIST:
		rc = s->list(ctx, in->arg[0], name, &word);
		if (rc == FLUKE_SUCCESS) {
			fluke_rpc_begin(rpc, rc);
			rpc->out.arg[0] = word;
			fluke_rpc_put(rpc, name, strnlen(name, FLUKE_FS_NAME_MAX - 1));
			return;
		}
		break;
	default:
		rc = FLUKE_INVALID_ARGUMENT;
	}
	fluke_rpc_begin(rpc, rc);
	rpc->out.arg[0] = word;
	rpc->out.len = got;
}

int fluke_fs_load(const char *name, const void **data, uint32_t *size)
{
	uint32_t handle;
	int rc = fluke_fs_open(name, &handle);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_fs_stat(handle, size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	char *buf = malloc(*size ? *size : 1);
	if (!buf)
		return FLUKE_NO_MEMORY;
	if ((rc = fluke_fs_read_all(handle, 0, buf, *size)) != FLUKE_SUCCESS) {
		free(buf);
		return rc;
	}
	*data = buf;
	return FLUKE_SUCCESS;
}

int fluke_fs_load_program(const char *name, const void **data, uint32_t *size)
{
	uint32_t handle, first;
	int rc = fluke_fs_open(name, &handle);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_fs_stat(handle, size);
	if (rc != FLUKE_SUCCESS)
		return rc;
	/* The first page holds the ELF headers of any program the linker made. */
	first = *size < FLUKE_RPC_BULK_MAX ? *size : FLUKE_RPC_BULK_MAX;
	char *buf = malloc(first ? first : 1);
	if (!buf)
		return FLUKE_NO_MEMORY;
	if ((rc = fluke_fs_read_all(handle, 0, buf, first)) != FLUKE_SUCCESS) {
		free(buf);
		return rc;
	}
	uint32_t need = fluke_proc_image_size(buf, first, *size);
	if (need > first) {
		char *whole = malloc(need);
		if (whole) {
			memcpy(whole, buf, first);
			rc = fluke_fs_read_all(handle, first, whole + first, need - first);
		}
		free(buf);
		if (!whole)
			return FLUKE_NO_MEMORY;
		if (rc != FLUKE_SUCCESS) {
			free(whole);
			return rc;
		}
		buf = whole;
	}
	*data = buf;
	*size = need > first ? need : first;
	return FLUKE_SUCCESS;
}
