# boards/host/board.mk: the build machine itself (the lab and the tests).
# Variables only; the top Makefile owns every rule.
CROSS :=
CC := gcc
BOARD_CFLAGS := -O2 -g
BOARD_LDFLAGS :=
# Third-party libraries (Net-SNMP, MIT krb5, OpenSSL, libcurl, c-ares, cmocka) exist.
BOARD_HAS_LIBS := 1
# Layers built for this board (the daemons need all of them).
BOARD_LAYERS := platform tlv kerberos snmp-mibs ecm eue
# How to run a target binary: natively.
BOARD_RUN :=
