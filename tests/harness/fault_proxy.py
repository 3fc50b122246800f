#!/usr/bin/env python3
"""fault_proxy: a TCP proxy between the tool and a server that injects
faults on command, for the integration tests (docs/faults.md).

    fault_proxy.py LISTEN_PORT TARGET_PORT CONTROL_FILE

The mode is read from CONTROL_FILE (one word, re-read every 20 ms; missing
or empty = pass):
    pass      forward both ways
    stall     forward nothing from the server (the client's requests pile up)
    slow      forward server bytes in 64-byte pieces, 2 ms apart
    cut       forward the next server chunk's first half, then close both
              sides (a reply cut in the middle); back to pass afterwards
    reset     close every connection with RST at once; back to pass
    refuse    every connection is reset, and new ones are accepted and
              closed at once until the mode changes (a node restarting)
Each switch is logged on stderr with the number of open connections."""
import asyncio
import os
import socket
import struct
import sys

LISTEN, TARGET, CONTROL = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
mode = "pass"
conns = set()


def read_mode():
    try:
        with open(CONTROL) as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


def set_control(word):
    tmp = CONTROL + ".tmp"
    with open(tmp, "w") as f:
        f.write(word)
    os.replace(tmp, CONTROL)


def rst(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.close()


async def pump(reader, writer, from_server, pair):
    global mode
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if from_server:
                while mode == "stall":
                    await asyncio.sleep(0.02)
                if mode == "cut":
                    set_control("pass")
                    mode = "pass"
                    writer.write(data[: max(1, len(data) // 2)])
                    await writer.drain()
                    for w in pair:
                        w.close()
                    return
                if mode == "slow":
                    for i in range(0, len(data), 64):
                        writer.write(data[i : i + 64])
                        await writer.drain()
                        await asyncio.sleep(0.002)
                    continue
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        for w in pair:
            w.close()


async def handle(creader, cwriter):
    if mode == "refuse":
        rst(cwriter)
        return
    try:
        sreader, swriter = await asyncio.open_connection("127.0.0.1", TARGET)
    except OSError:
        rst(cwriter)
        return
    pair = (cwriter, swriter)
    conns.add(pair)
    try:
        await asyncio.gather(pump(creader, swriter, False, pair), pump(sreader, cwriter, True, pair))
    finally:
        conns.discard(pair)


async def watch():
    global mode
    while True:
        m = read_mode()
        if m != mode:
            print(f"fault_proxy: {mode} -> {m} ({len(conns)} connections)", file=sys.stderr, flush=True)
            mode = m
            if m == "refuse":
                for pair in list(conns):
                    for w in pair:
                        rst(w)
            if m == "reset":
                for pair in list(conns):
                    for w in pair:
                        rst(w)
                set_control("pass")
                mode = "pass"
        await asyncio.sleep(0.02)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    print("fault_proxy: listening", file=sys.stderr, flush=True)
    async with server:
        await asyncio.gather(server.serve_forever(), watch())


asyncio.run(main())
