/* The Parent protocol: client stubs and the server-side dispatch. */
#include <fluke/parent.h>
#include <fluke/start.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <string.h>

static int call_on(const fluke_ref_t *parent, struct fluke_rpc *rpc)
{
	return parent ? fluke_rpc_call(parent, rpc) : FLUKE_NOT_PERMITTED;
}

static int call(struct fluke_rpc *rpc)
{
	return call_on(fluke_parent(), rpc);
}

/* The call's answer: the reference it brought, in *out. */
static int ref_answer(const fluke_ref_t *parent, struct fluke_rpc *rpc, fluke_ref_t *out)
{
	int rc = call_on(parent, rpc);
	if (rc == FLUKE_SUCCESS && !rpc->in_refs)
		rc = FLUKE_NOT_FOUND;
	if (rc == FLUKE_SUCCESS)
		fluke_ref_copy(out, &rpc->in_ref);
	return rc;
}

int fluke_parent_get_on(const fluke_ref_t *parent, uint32_t service, fluke_ref_t *port_out)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_GET);
	rpc->out.arg[0] = service;
	return ref_answer(parent, rpc, port_out);
}

int fluke_parent_get(uint32_t service, fluke_ref_t *port_out)
{
	return fluke_parent_get_on(fluke_parent(), service, port_out);
}

int fluke_parent_client(const fluke_ref_t *parent, fluke_ref_t *client_out)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_CLIENT);
	fluke_rpc_stamp(rpc);
	return ref_answer(parent, rpc, client_out);
}

int fluke_parent_end(const fluke_ref_t *parent)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_EXIT);
	return call_on(parent, rpc);
}

int fluke_parent_exit(int status)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_EXIT);
	rpc->out.arg[0] = status;
	return call(rpc);
}

int fluke_parent_ioports(uint32_t first, uint32_t count)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_IOPORTS);
	rpc->out.arg[0] = first;
	rpc->out.arg[1] = count;
	return call(rpc);
}

int fluke_parent_spawn(int argc, char **argv, uint32_t *pid)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_SPAWN);
	fluke_rpc_stamp(rpc);
	if (fluke_parent_put_words(rpc, argc, argv) != FLUKE_SUCCESS)
		return FLUKE_INVALID_ARGUMENT;
	int rc = call(rpc);
	*pid = rpc->in.arg[0];
	return rc;
}

int fluke_parent_wait(uint32_t pid, int *status)
{
	struct fluke_rpc *rpc = fluke_client_rpc();
	fluke_rpc_begin(rpc, FLUKE_PARENT_WAIT);
	rpc->out.arg[0] = pid;
	int rc = call(rpc);
	*status = (int)rpc->in.arg[0];
	return rc;
}

int fluke_parent_put_words(struct fluke_rpc *rpc, int argc, char **argv)
{
	if (argc < 1 || argc > FLUKE_PARENT_MAX_ARGS)
		return FLUKE_INVALID_ARGUMENT;
	rpc->out.arg[0] = argc;
	for (int i = 0; i < argc; i++)
		if (fluke_rpc_put(rpc, argv[i], strlen(argv[i]) + 1) != FLUKE_SUCCESS)
			return FLUKE_INVALID_ARGUMENT;
	return FLUKE_SUCCESS;
}

int fluke_parent_words(struct fluke_rpc *rpc, uint32_t argc, char **argv)
{
	uint32_t n = 0, pos = 0, len = fluke_rpc_in_len(rpc);
	char *data = rpc->in.data;
	if (argc < 1 || argc > FLUKE_PARENT_MAX_ARGS || len == 0 || data[len - 1])
		return -1;
	while (pos < len && n < argc) {
		argv[n++] = data + pos;
		pos += strlen(data + pos) + 1;
	}
	argv[n] = 0;
	return n == argc && pos == len ? 0 : -1;
}

void fluke_parent_dispatch(const struct fluke_parent_server *s, void *ctx, struct fluke_rpc *rpc)
{
	struct fluke_rpc_msg *in = &rpc->in;
	uint32_t alias = rpc->alias, word = 0;
	int rc, status = 0;
	char *argv[FLUKE_PARENT_MAX_ARGS + 1];
	switch (in->op) {
	case FLUKE_PARENT_GET:
		rc = s->get(ctx, alias, in->arg[0], &rpc->out_ref);
		fluke_rpc_begin(rpc, rc);
		rpc->out_refs = rc == FLUKE_SUCCESS;
		return;
	case FLUKE_PARENT_EXIT:
		rc = s->exit(ctx, alias, (int)in->arg[0]);
		break;
	case FLUKE_PARENT_SPAWN:
		rc = fluke_parent_words(rpc, in->arg[0], argv) < 0 ? FLUKE_INVALID_ARGUMENT
			: s->spawn(ctx, alias, in->arg[FLUKE_RPC_REQUEST], (int)in->arg[0], argv,
				   &word);
		break;
	case FLUKE_PARENT_WAIT:
		rc = s->wait(ctx, alias, in->arg[0], &status);
		word = (uint32_t)status;
		break;
	case FLUKE_PARENT_CLIENT:
		rc = s->client(ctx, alias, in->arg[FLUKE_RPC_REQUEST], &rpc->out_ref);
		fluke_rpc_begin(rpc, rc);
		rpc->out_refs = rc == FLUKE_SUCCESS;
		return;
	case FLUKE_PARENT_IOPORTS:
		rc = s->ioports(ctx, alias, in->arg[0], in->arg[1]);
		break;
	default:
		rc = FLUKE_INVALID_ARGUMENT;
	}
	fluke_rpc_begin(rpc, rc);
	rpc->out.arg[0] = word;
}
