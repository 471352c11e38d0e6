#include "sh_replay.h"

#include <criterion/criterion.h>
#include <string.h>

void sh_replay(struct sh_replay *st, const uint32_t *dw, uint32_t len)
{
	memset(st, 0, sizeof(*st));
	for (uint32_t i = 0; i < len;) {
		uint32_t h = dw[i], op = (h >> 8) & 0xff, n = ((h >> 16) & 0x3fff) + 2;
		cr_assert_eq(h >> 30, 3u, "type-3 header at %u", i);
		cr_assert_leq(i + n, len, "packet at %u runs past the stream", i);
		if (op == 0x76)
			for (uint32_t j = 0; j + 2 < n; j++) {
				cr_assert_lt(dw[i + 1] + j, 0x400u, "SH offset 0x%x", dw[i + 1] + j);
				st->reg[dw[i + 1] + j] = dw[i + 2 + j];
				st->set[dw[i + 1] + j] = true;
			}
		else if (op == 0x15)
			st->initiator = dw[i + 4];
		i += n;
	}
}
