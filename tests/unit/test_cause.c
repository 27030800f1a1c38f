/* test_cause.c - unit tests for cause: failures traced to their cause, on what
 * mutants of the lessons really sent (captured from their runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/cause.c"

#define BYTES(s) (s), sizeof(s) - 1

static struct observed none(void)
{
	struct observed o = {0};

	o.body_have = o.body_want = -1;
	return o;
}

/* The cause o shows, checked to come with words that name it. */
static enum cause_id traced(const struct observed *o, const char *words)
{
	struct cause c = cause_find(o);

	if (c.id)
		assert_non_null(c.text);
	if (words) {
		assert_non_null(c.text);
		assert_non_null(strstr(c.text, words));
	}
	free(c.text);
	return c.id;
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int i = CAUSE_NONE + 1; i < CAUSE_COUNT; i++) {
		assert_int_equal(cause_parse(cause_name((enum cause_id)i)), i);
		assert_true(*cause_what((enum cause_id)i));
	}
	assert_int_equal(cause_parse("no_such_cause"), CAUSE_NONE);
	assert_string_equal(cause_name(CAUSE_NONE), "");
}

/* lesson03 sin_hilos, dos_a_la_vez: c2 got nothing, and one connection
 * waited in the listener's queue when the step gave up. */
static void test_not_accepted(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "c2";
	o.want = "Servidor recibió: música105";
	o.wlen = strlen(o.want);
	o.got = "";
	o.queued = 1;
	assert_int_equal(traced(&o, "accept()"), CAUSE_NOT_ACCEPTED);
	o.queued = 0;
	assert_int_equal(traced(&o, NULL), CAUSE_NONE);
}

/* lesson03 buffer_compartido, concurrentes: c6 got c5's words. */
static void test_other_client(void **state)
{
	struct observed o = none();
	struct sent_piece others[] = {
	        {"c5", BYTES("¿océano luna montaña señal 17?")},
	        {"c7", BYTES("¿sol perro 3?")},
	};

	(void)state;
	o.conn = "c6";
	o.want = "Servidor recibió: ¿canción montaña ventana señal sol 404?";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibió: Servidor recibió: ¿océano luna montaña ";
	o.glen = strlen(o.got);
	o.others = others;
	o.nothers = 2;
	o.own = "¿canción montaña ventana señal sol 404?";
	o.olen = strlen(o.own);
	assert_int_equal(traced(&o, "c5"), CAUSE_OTHER_CLIENT);
	/* Mixed in the middle, by a race on the shared buffer. */
	o.got = "Servidor recibió: ¿canción montaña ventajamón perro mesa 17?";
	o.glen = strlen(o.got);
	others[1] = (struct sent_piece){"c7", BYTES("¿sol jamón perro mesa 17?")};
	assert_int_equal(traced(&o, "c7"), CAUSE_OTHER_CLIENT);
	o.got = "Servidor recibió: Servidor recibió: ¿océano luna montaña ";
	o.glen = strlen(o.got);
	/* The prefix twice: another thread's reply began in the same buffer. */
	o.got = "Servidor recibió: Servidor recibió: ¿canción mont";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "twice"), CAUSE_OTHER_CLIENT);
	o.got = "Servidor recibió: Servidor recibió: ¿océano luna montaña ";
	o.glen = strlen(o.got);
	/* In a chat, others' lines are due: without an echo of its own due,
	 * another client's bytes prove nothing; the difference is all. */
	o.own = "¿luna 9?";
	o.olen = strlen(o.own);
	assert_int_equal(traced(&o, NULL), CAUSE_WRONG_TEXT);
	o.own = "¿canción montaña ventana señal sol 404?";
	o.olen = strlen(o.own);
	/* A piece that is in what was due proves nothing. */
	others[0] = (struct sent_piece){"c5", BYTES("Servidor recibió: ")};
	o.got = "Servidor recibió: ¿océano luna montaña ";
	o.glen = strlen(o.got);
	assert_int_not_equal(traced(&o, NULL), CAUSE_OTHER_CLIENT);
}

/* lesson03, a reply sent with sizeof(buffer): zeros after the text. */
static void test_whole_buffer_sent(void **state)
{
	struct observed o = none();

	(void)state;
	o.want = "Servidor recibió: hola";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibió: hola\0\0\0\0\0\0\0\0";
	o.glen = o.wlen + 8;
	assert_int_equal(traced(&o, "sizeof"), CAUSE_EXTRA_BYTES);
}

/* lesson03, printf("%s") on a buffer with no zero at the end. */
static void test_bytes_after(void **state)
{
	struct observed o = none();

	(void)state;
	o.want = "Servidor recibió: hola";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibió: hola\x7f\xa1\x03U";
	o.glen = o.wlen + 4;
	assert_int_equal(traced(&o, "strlen()"), CAUSE_EXTRA_BYTES);
}

/* lesson05, an echo of a short datagram after a long one, from a buffer
 * that was not cleared. */
static void test_rest_of_earlier_datagram(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "s1";
	o.want = "Eco: sol";
	o.wlen = strlen(o.want);
	o.got = "Eco: solcán montaña";
	o.glen = strlen(o.got);
	o.earlier = "Eco: volcán montaña";
	o.elen = strlen(o.earlier);
	assert_int_equal(traced(&o, "buf[n]"), CAUSE_STALE_BUFFER);
}

/* lesson03, an echo through a buffer that was not cleared: the new message
 * overwrote only the start of the earlier, longer one. */
static void test_rest_of_earlier_piece(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "c1";
	o.own = "sol";
	o.olen = 3;
	o.prev = "volcán";
	o.plen = strlen(o.prev);
	o.want = "Servidor recibió: sol";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibió: solcán";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "cán"), CAUSE_STALE_BUFFER);
	/* More text, but not from the earlier message: bytes the protocol lacks. */
	o.got = "Servidor recibió: sol\nServidor recibió: \n";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "nothing added"), CAUSE_EXTRA_BYTES);
}

/* lesson06 envia_el_nulo: the string's terminator sent too. */
static void test_terminator_sent(void **state)
{
	struct observed o = none();

	(void)state;
	o.want = "hola";
	o.wlen = 4;
	o.got = "hola";
	o.glen = 5;
	assert_int_equal(traced(&o, "strlen() + 1"), CAUSE_EXTRA_BYTES);
	/* lesson05 prefijo_con_nulo: the prefix counted with sizeof. */
	o.want = "Eco: sol";
	o.wlen = 8;
	o.got = "Eco: \0sol";
	o.glen = 9;
	assert_int_equal(traced(&o, "sizeof"), CAUSE_EXTRA_BYTES);
}

/* lesson02 printf_cadena, binario: right up to the first zero byte. */
static void test_cut_at_nul(void **state)
{
	static const char want[] = "HTTP/1.1 200 OK\r\n\r\n\x0b\xbe\x93\x94\0d>\x04\xae";
	struct observed o = none();

	(void)state;
	o.want = want;
	o.wlen = sizeof(want) - 1;
	o.got = "HTTP/1.1 200 OK\r\n\r\n\x0b\xbe\x93\x94";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "Only"), CAUSE_CUT_AT_NUL);
	o.got = "HTTP/1.1 200 OK\r\n\r\n\x0b\xbe\x93\x94\x11\x12";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "23"), CAUSE_CUT_AT_NUL);
}

/* lesson01 sin_ntohs: the port shown as it is in memory. */
static void test_byte_order(void **state)
{
	struct observed o = none();

	(void)state;
	o.pattern = "^IPv4 127\\.0\\.0\\.1 puerto 1 TCP$";
	o.got = "IPv6 ::1 puerto 256 TCP\nIPv4 127.0.0.1 puerto 256 TCP\n";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "ntohs()"), CAUSE_BYTE_ORDER);
	o.pattern = "^IPv4 127\\.0\\.0\\.1 puerto 8080 TCP$";
	o.got = "IPv4 127.0.0.1 puerto 36895 TCP\n";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "36895"), CAUSE_BYTE_ORDER);
	/* A wrong number, but not a swapped one. */
	o.got = "IPv4 127.0.0.1 puerto 8081 TCP\n";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, NULL), CAUSE_NONE);
	/* The same in bytes compared one by one. */
	o = none();
	o.want = "puerto 80\n";
	o.wlen = strlen(o.want);
	o.got = "puerto 20480\n";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "20480"), CAUSE_BYTE_ORDER);
}

/* lesson02 sin_linea_vacia and a lesson12 body measured with strlen(). */
static void test_http(void **state)
{
	struct observed o = none();

	(void)state;
	o.got = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n";
	o.glen = strlen(o.got);
	o.head_unended = 1;
	assert_int_equal(traced(&o, "\\r\\n"), CAUSE_HEAD_UNENDED);
	o = none();
	o.body_have = 385;
	o.body_want = 71680;
	assert_int_equal(traced(&o, "71680"), CAUSE_BODY_LENGTH);
}

/* What the program did with the connection, and what it ran into. */
static void test_conduct_and_limits(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "c1";
	o.eof_answer = 1;
	assert_int_equal(traced(&o, "c1"), CAUSE_WAITS_FOR_EOF);
	o = none();
	o.conn = "c1";
	o.reset = 1;
	assert_int_equal(traced(&o, "RST"), CAUSE_RESET);
	o.fd_limit = 1024;
	assert_int_equal(traced(&o, "1024"), CAUSE_FD_LIMIT);
	o = none();
	o.proc_limit = 64;
	o.queued = 3; /* the limit comes first: it left them unaccepted */
	assert_int_equal(traced(&o, "64"), CAUSE_PROC_LIMIT);
	o = none();
	o.memory_error = 1;
	o.signal = SIGABRT; /* AddressSanitizer ends it so: the error says more */
	assert_int_equal(traced(&o, NULL), CAUSE_MEMORY_ERROR);
	o = none();
	o.conn = "c1";
	o.reset = 1;
	o.signal = SIGPIPE; /* lesson03 sigpipe: the reset is its consequence */
	assert_int_equal(traced(&o, "MSG_NOSIGNAL"), CAUSE_SIGPIPE);
	o.signal = SIGSEGV;
	assert_int_equal(traced(&o, "SEGV"), CAUSE_CRASH);
	o = none();
	o.signal = SIGXCPU; /* lesson11 espera_activa in mil_conexiones */
	assert_int_equal(traced(&o, "poll()"), CAUSE_BUSY_LOOP);
	/* lesson03 un_solo_cliente: what a gone server leaves is its doing. */
	o = none();
	o.conn = "c2";
	o.reset = 1;
	o.server_exit = 1;
	assert_int_equal(traced(&o, "status 0"), CAUSE_SERVER_ENDED);
	o = none();
	o.spun_ms = 900;
	assert_int_equal(traced(&o, "POLLOUT"), CAUSE_BUSY_LOOP);
}

/* What the program's threads were blocked in when the step gave up. */
static void test_blocked(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "lento1"; /* lesson11 envio_bloqueante: the loop stuck in send() */
	o.threads = 1;
	o.in_send = 1;
	o.queued = 2;
	assert_int_equal(traced(&o, "MSG_DONTWAIT"), CAUSE_BLOCKED_IN_SEND);
	o = none();
	o.conn = "c2"; /* lesson11, a blocking recv() on one client */
	o.threads = 1;
	o.in_recv = 1;
	assert_int_equal(traced(&o, "poll()"), CAUSE_BLOCKED_IN_RECV);
	o.eof_answer = 1; /* it was waiting for the end of the input: that says more */
	assert_int_equal(traced(&o, NULL), CAUSE_WAITS_FOR_EOF);
	o = none();
	o.is_client = 1; /* lesson08 bloquea_en_el_teclado */
	o.threads = 1;
	o.in_stdin = 1;
	assert_int_equal(traced(&o, "descriptor 0"), CAUSE_WAITS_FOR_KEYBOARD);
	/* A UDP server waits in recvfrom() for everyone: that is how it works. */
	o = none();
	o.threads = 1;
	o.in_recv = 1;
	o.is_udp = 1;
	assert_int_equal(traced(&o, NULL), CAUSE_NONE);
	/* A threaded server: one thread in recv() per client is how it works. */
	o = none();
	o.threads = 3;
	o.in_recv = 2;
	assert_int_equal(traced(&o, NULL), CAUSE_NONE);
}

/* A plain wrong answer: the difference, in words, from the word it is in. */
static void test_plain_difference(void **state)
{
	struct observed o = none();

	(void)state;
	o.want = "Servidor recibió: hola";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibio: hola";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "first 15 bytes are right; from there came «recibio: hola» "
	                            "where «recibió: hola»"),
	                 CAUSE_WRONG_TEXT);
	/* Never from the middle of a character. */
	o.want = "¿jamón?";
	o.wlen = strlen(o.want);
	o.got = "¿jamán?";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "«¿jamán?» where «¿jamón?»"), CAUSE_WRONG_TEXT);
	/* Told in words, it leaves the test's own hint on show. */
	assert_false(cause_traced(CAUSE_WRONG_TEXT));
	assert_true(cause_traced(CAUSE_EXTRA_BYTES));
	o.got = "";
	o.glen = 0;
	assert_int_equal(traced(&o, NULL), CAUSE_NONE);
}

/* How the program ended, seen by an exit step or by a step it left behind. */
static void test_endings(void **state)
{
	struct observed o = none();

	(void)state;
	/* lesson01 cierra_dos_veces: the failed call is on stderr, and named. */
	o.kind = FAIL_STATUS;
	o.status_got = 1;
	o.err_tail = "direcciones: close: Bad file descriptor";
	assert_int_equal(traced(&o, "close: Bad file descriptor"), CAUSE_GAVE_UP);
	o.err_tail = NULL;
	assert_int_equal(traced(&o, "perror()"), CAUSE_GAVE_UP);
	/* lesson04 sin_htons: the client ended before the steps that needed it. */
	o = none();
	o.gave_up = 2;
	o.err_tail = "cliente: no se pudo conectar con 127.0.0.1:8888: Connection refused";
	assert_int_equal(traced(&o, "htons()"), CAUSE_GAVE_UP);
	/* lesson03 sin_reuseaddr */
	o.err_tail = "servidor: bind: Address already in use";
	assert_int_equal(traced(&o, "SO_REUSEADDR"), CAUSE_GAVE_UP);
	/* ... but a crash says more than the status it left. */
	o.signal = SIGSEGV;
	assert_int_equal(traced(&o, "SEGV"), CAUSE_CRASH);
	/* lesson01 acepta_99999 */
	o = none();
	o.kind = FAIL_STATUS;
	o.status_want = 2;
	assert_int_equal(traced(&o, "status 2"), CAUSE_ERROR_AS_SUCCESS);
	o.status_want = -1;
	assert_int_equal(traced(&o, "other than 0"), CAUSE_ERROR_AS_SUCCESS);
	/* lesson02 error_de_red_con_2 */
	o.status_want = 1;
	o.status_got = 2;
	assert_int_equal(traced(&o, "status 1"), CAUSE_OTHER_STATUS);
	/* lesson04 acepta_vacio: it went on with what it should refuse. */
	o = none();
	o.kind = FAIL_NO_END;
	o.status_want = 2;
	assert_int_equal(traced(&o, "refuse"), CAUSE_KEPT_RUNNING);
	o.status_want = 0; /* lesson02 no_sale_al_cerrar */
	assert_int_equal(traced(&o, "recv() returned 0"), CAUSE_KEPT_RUNNING);
}

static void output(struct observed *o, const char *want, const char *pattern, const char *got)
{
	*o = none();
	o->kind = FAIL_OUTPUT;
	o->want = want;
	o->wlen = want ? strlen(want) : 0;
	o->pattern = pattern;
	o->got = got;
	o->glen = strlen(got);
}

/* What it printed: a line missing, one too many, or on the other output. */
static void test_output_lines(void **state)
{
	struct observed o;

	(void)state;
	/* lesson01 solo_tcp: a pattern of lines, one of them missing. */
	output(&o, NULL,
	       "^IPv4 127\\.0\\.0\\.1 puerto 8080 TCP\nIPv4 127\\.0\\.0\\.1 puerto 8080 "
	       "UDP\nSocket TCP creado \\(descriptor [0-9]+\\)$",
	       "IPv4 127.0.0.1 puerto 8080 TCP\nSocket TCP creado (descriptor 3)\n");
	assert_int_equal(traced(&o, "«IPv4 127.0.0.1 puerto 8080 UDP»"), CAUSE_MISSING_LINE);
	/* lesson01 localhost: a line searched for, not there. */
	output(&o, NULL, "^IPv4 127\\.0\\.0\\.1 puerto 80 UDP$",
	       "IPv4 127.0.0.1 puerto 80 TCP\nSocket TCP creado (descriptor 3)\n");
	assert_int_equal(traced(&o, "puerto 80 UDP"), CAUSE_MISSING_LINE);
	/* lesson01 incluye_raw: the RAW result printed as one more UDP line. */
	output(&o, NULL, "^A TCP\nA UDP\nSocket [0-9]+$", "A TCP\nA UDP\nA UDP\nSocket 3\n");
	assert_int_equal(traced(&o, "once more"), CAUSE_EXTRA_LINE);
	/* Exact text, one line not due. */
	output(&o, "uno\ndos\n", NULL, "uno\ntres\ndos\n");
	assert_int_equal(traced(&o, "«tres»"), CAUSE_EXTRA_LINE);
	/* Nothing was due, and something came. */
	output(&o, "", NULL, "IPv4 127.0.0.1 puerto 80 TCP\n");
	assert_int_equal(traced(&o, "not due"), CAUSE_EXTRA_LINE);
	/* lesson01 ipv6_como_ipv4: one line of a pattern, wrong. */
	output(&o, NULL, "^IPv6 ::1 puerto 8080 TCP\nSocket TCP creado$",
	       "IPv6 0.0.0.0 puerto 8080 TCP\nSocket TCP creado\n");
	assert_int_equal(traced(&o, "Line 1 of what your program wrote on stdout is «IPv6 0.0.0.0 "
	                            "puerto 8080 TCP», where «IPv6 ::1 puerto 8080 TCP»"),
	                 CAUSE_WRONG_TEXT);
	/* lesson10 avisos_sin_quien: text searched for in a line is missing. */
	output(&o, NULL, "9100", "cliente: no hubo respuesta en 1000 ms\n");
	assert_int_equal(traced(&o, "«…9100…» is missing"), CAUSE_MISSING_LINE);
	/* Every line differs: the difference, in words. */
	output(&o, "uno\ndos\n", NULL, "one\ntwo\n");
	assert_int_equal(traced(&o, "«one"), CAUSE_WRONG_TEXT);
	/* lesson04 avisos_en_stdout: the warning due on stderr went to stdout. */
	output(&o, NULL, "conexión cerrada", "");
	o.on_stderr = 1;
	o.other = "Respuesta: hola\naviso: conexión cerrada por el servidor\n";
	o.other_len = strlen(o.other);
	assert_int_equal(traced(&o, "stderr"), CAUSE_WRONG_STREAM);
	output(&o, "puerto no válido", NULL, "");
	o.on_stderr = 1;
	o.other = "cliente: puerto no válido\n";
	o.other_len = strlen(o.other);
	assert_int_equal(traced(&o, "perror()"), CAUSE_WRONG_STREAM);
}

/* The life of a connection, and where a server listened. */
static void test_connection_life(void **state)
{
	struct observed o = none();

	(void)state;
	o.conn = "s1";
	o.kind = FAIL_CLOSED; /* lesson04 un_solo_recv */
	assert_int_equal(traced(&o, "single recv()"), CAUSE_CLOSED_EARLY);
	o.kind = FAIL_KEPT_OPEN; /* lesson04 espera_al_servidor */
	assert_int_equal(traced(&o, "close()"), CAUSE_KEPT_OPEN);
	o.kind = FAIL_SPOKE_EARLY; /* lesson04 envia_todo_seguido */
	assert_int_equal(traced(&o, "reply"), CAUSE_SPOKE_EARLY);
	o.kind = FAIL_WRONG_SOURCE; /* lesson05 responde_desde_otro_socket */
	assert_int_equal(traced(&o, "recvfrom()"), CAUSE_WRONG_SOURCE);
	o = none();
	o.kind = FAIL_NOT_LISTENING; /* lesson05 sin_bind */
	assert_int_equal(traced(&o, "bind()"), CAUSE_NOT_LISTENING);
	o.port_elsewhere = 8888; /* lesson03 ignora_puerto */
	assert_int_equal(traced(&o, "8888"), CAUSE_WRONG_PORT);
	/* lesson03 respuesta_truncada: 16 bytes of the reply, then silence. */
	o = none();
	o.conn = "c1";
	o.kind = FAIL_PARTIAL;
	o.want = "Servidor recibió: ¿luna sol?";
	o.wlen = strlen(o.want);
	o.got = "Servidor recibi\xc3";
	o.glen = strlen(o.got);
	assert_int_equal(traced(&o, "16 of the 30 bytes"), CAUSE_PARTIAL_REPLY);
	o.is_udp = 1; /* lesson05 trunca_1024 */
	assert_int_equal(traced(&o, "recvfrom()"), CAUSE_PARTIAL_REPLY);
	/* lesson05 responde_al_primero: u2's echo went to u1. */
	o = none();
	o.conn = "u2";
	o.is_udp = 1;
	o.went_to = "u1";
	assert_int_equal(traced(&o, "went to u1"), CAUSE_WRONG_PEER);
	/* A reset says more than the step's kind. */
	o = none();
	o.conn = "s1";
	o.kind = FAIL_CLOSED;
	o.reset = 1;
	assert_int_equal(traced(&o, "RST"), CAUSE_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names_round_trip),
	        cmocka_unit_test(test_not_accepted),
	        cmocka_unit_test(test_other_client),
	        cmocka_unit_test(test_whole_buffer_sent),
	        cmocka_unit_test(test_bytes_after),
	        cmocka_unit_test(test_rest_of_earlier_datagram),
	        cmocka_unit_test(test_rest_of_earlier_piece),
	        cmocka_unit_test(test_terminator_sent),
	        cmocka_unit_test(test_cut_at_nul),
	        cmocka_unit_test(test_byte_order),
	        cmocka_unit_test(test_http),
	        cmocka_unit_test(test_conduct_and_limits),
	        cmocka_unit_test(test_blocked),
	        cmocka_unit_test(test_plain_difference),
	        cmocka_unit_test(test_endings),
	        cmocka_unit_test(test_output_lines),
	        cmocka_unit_test(test_connection_life),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
