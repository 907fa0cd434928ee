# boards/mips/board.mk: big-endian 32-bit MIPS.  Debian 12 ships no
# big-endian MIPS libraries, so this board builds only the layers that need
# none (platform/, tlv/, ecm/): it exists to prove the wire code is
# endian-clean, by running the unit tests under qemu-user.
CROSS := mips-linux-gnu-
CC := $(CROSS)gcc
BOARD_CFLAGS := -O2 -g
BOARD_LDFLAGS :=
BOARD_HAS_LIBS := 0
BOARD_LAYERS := platform tlv kerberos ecm
BOARD_RUN := qemu-mips-static -L /usr/mips-linux-gnu
