/*
 * Lab 1, exercise 2: an echo server and its client on the kernel's reliable IPC, one
 * step at a time (handouts/lab1.md).  main makes a port set and a port, starts the
 * server in a thread of its own, and sends it three messages: a short one, an empty one
 * and one of 20,000 bytes in pieces of 3,000.  Each reply must be the message itself.
 *
 * No protocol stubs: the client connects and sends, sends the rest, says OVER and
 * receives; the server waits and receives, takes the sender role (ACK), sends the
 * message back and disconnects, which ends the client's receive.
 */
#include <fluke/abi/error.h>
#include <fluke/ipc.h>
#include <fluke/port.h>
#include <fluke/ref.h>
#include <fluke/start.h>
#include <fluke/thread.h>
#include <stdio.h>
#include <string.h>

#define MAX_MESSAGE	65536u

static fluke_pset_t ps;			/* the server waits on it */
static fluke_port_t port;		/* delivers to ps, with alias 1 */
static fluke_ref_t ps_ref, port_ref;	/* the client holds port_ref */
static fluke_thread_t server_thread;
static char server_stack[16384] __attribute__((aligned(16)));
static char server_buf[MAX_MESSAGE];	/* the message being echoed */
static char message[MAX_MESSAGE], reply[MAX_MESSAGE];
static volatile uint32_t served;	/* messages the server sent back */

/* The server: forever, wait for a client and receive its whole message (until its
 * OVER) into server_buf, then send it back and disconnect. */
static void serve(void *arg)
{
	(void)arg;
	/* LAB 1: BEGIN SOLUTION */
	for (;;) {
		fluke_ipc_params_t p = { .recv = { server_buf, sizeof(server_buf) } };
		uint32_t alias = 0;
		int rc = fluke_ipc_wait_receive(&ps, &p, &alias);
		if (rc != FLUKE_SUCCESS || alias != 1)
			continue;		/* no whole message: wait for the next client */
		uint32_t got = p.bytes_received;
		p = (fluke_ipc_params_t){ .send = { server_buf, got } };
		if (fluke_ipc_server_ack_send(&p) == FLUKE_SUCCESS)
			served++;
		fluke_ipc_server_disconnect();
	}
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)server_buf;
	//| for (;;)
	//| 	fluke_thread_yield();
	/* LAB 1: END */
}

/* The client: send msg[0, len) to the server, piece bytes per SEND, then receive its
 * reply into out (room bytes).  Returns the reply's length, or minus the error. */
static int echo(const char *msg, uint32_t len, uint32_t piece, char *out, uint32_t room)
{
	/* LAB 1: BEGIN SOLUTION */
	uint32_t first = len < piece ? len : piece;
	fluke_ipc_params_t p = { .send = { (void *)msg, first } };
	int rc = fluke_ipc_client_connect_send(&port_ref, &p);
	for (uint32_t sent = first; rc == FLUKE_SUCCESS && sent < len; sent += piece) {
		uint32_t n = len - sent < piece ? len - sent : piece;
		p = (fluke_ipc_params_t){ .send = { (void *)(msg + sent), n } };
		rc = fluke_ipc_client_send(&p);
	}
	if (rc == FLUKE_SUCCESS) {
		p = (fluke_ipc_params_t){ .recv = { out, room } };
		rc = fluke_ipc_client_over_receive(&p);
	}
	fluke_ipc_client_disconnect();
	if (rc != FLUKE_SUCCESS && rc != FLUKE_IPC_RECV_DISCONNECTED)
		return -rc;
	return (int)p.bytes_received;
	/* LAB 1: SKELETON */
	//| /* LAB 1: your code here */
	//| (void)msg, (void)len, (void)piece, (void)out, (void)room;
	//| return -FLUKE_INVALID_ARGUMENT;
	/* LAB 1: END */
}

/* Make the port set and the port, and start the server. */
static int setup(void)
{
	fluke_pset_create(&ps);
	fluke_port_create(&port);
	fluke_ref_create(&ps_ref);
	fluke_ref_create(&port_ref);
	fluke_pset_reference(&ps, &ps_ref);
	fluke_port_state_t st = { .alias = 1 };
	fluke_port_set_state(&port, &st, &ps_ref);
	fluke_port_reference(&port, &port_ref);
	return fluke_thread_start(&server_thread, serve, 0, server_stack, sizeof(server_stack),
				  FLUKE_PRIO_DEFAULT);
}

/* Echo len bytes of message, piece bytes a SEND; prints one line; 1 if it came back. */
static int try(uint32_t len, uint32_t piece)
{
	memset(reply, 0, len + 1);
	int got = echo(message, len, piece, reply, sizeof(reply));
	int ok = got == (int)len && memcmp(message, reply, len) == 0;
	if (got < 0)
		printf("echo: %u bytes: error %d\n", len, -got);
	else
		printf("echo: %u bytes in %u piece%s: %s\n", len, len ? (len + piece - 1) / piece : 1,
		       len > piece ? "s" : "", ok ? "ok" : "wrong reply");
	return ok;
}

int main(void)
{
	if (setup() != FLUKE_SUCCESS) {
		printf("echo: can not start the server thread\n");
		return 1;
	}
	int ok = 0;
	strcpy(message, "hello, Fluke");
	ok += try(strlen(message), 100);
	ok += try(0, 100);
	for (uint32_t i = 0; i < 20000; i++)
		message[i] = (char)('a' + (i * 7 + i / 26) % 26);
	ok += try(20000, 3000);
	printf("echo: %d of 3 messages came back, the server sent %u\n", ok, served);
	return ok == 3 ? 0 : 1;
}
