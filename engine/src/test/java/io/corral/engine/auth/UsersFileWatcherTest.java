package io.corral.engine.auth;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersFileWatcherTest
{
    private static final byte[] REALM = "example.com".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(512 * 4)), new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 4)));
    private final AtomicCounter reloads = countersManager.newCounter("reloads");
    private final AtomicCounter reloadErrors = countersManager.newCounter("reload errors");
    private long nowMs = 1_000_000;

    @Test
    void shouldPickUpUsersAddedAndRemovedByTheToolWhenChecked() throws IOException
    {
        final Path file = dir.resolve("users");
        final UsersFile tool = new UsersFile(file);
        tool.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.MD5, "secret".toCharArray()));
        tool.save();
        final UsersFile users = new UsersFile(file).load();
        final UsersFileWatcher watcher = watcher(users);

        tool.put(UsersFile.entry("bob", "example.com", DigestAlgorithm.SHA_256, "pw".toCharArray()));
        tool.save();
        nowMs += 1999;
        assertEquals(0, watcher.doWork(), "not due yet");
        assertEquals(-1, find(users, "bob", DigestAlgorithm.SHA_256));

        nowMs += 1;
        assertEquals(1, watcher.doWork());
        assertTrue(find(users, "bob", DigestAlgorithm.SHA_256) >= 0);
        assertEquals(1, reloads.get());

        nowMs += 2000;
        assertEquals(0, watcher.doWork(), "unchanged file is not read again");

        tool.remove("alice", "example.com");
        tool.save();
        nowMs += 2000;
        assertEquals(1, watcher.doWork());
        assertEquals(-1, find(users, "alice", DigestAlgorithm.MD5));
        assertTrue(find(users, "bob", DigestAlgorithm.SHA_256) >= 0);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldKeepOldUsersAndReportLineOnceWhenFileIsBad() throws IOException
    {
        final Path file = dir.resolve("users");
        final UsersFile tool = new UsersFile(file);
        tool.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.MD5, "secret".toCharArray()));
        tool.save();
        final UsersFile users = new UsersFile(file).load();
        final UsersFileWatcher watcher = watcher(users);

        Files.writeString(file, Files.readString(file) + "bob:example.com:MD5:nothex\n");
        nowMs += 2000;
        assertEquals(1, watcher.doWork());
        assertTrue(find(users, "alice", DigestAlgorithm.MD5) >= 0, "old users kept");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains(file + " line 3"), errors.get(0).getMessage());
        assertEquals(1, reloadErrors.get());

        nowMs += 2000;
        watcher.doWork();
        assertEquals(1, errors.size(), "the same bad file is reported once");

        tool.save();
        nowMs += 2000;
        assertEquals(1, watcher.doWork());
        assertEquals(1, reloads.get());
        assertEquals(-1, find(users, "bob", DigestAlgorithm.MD5));

        Files.delete(file);
        nowMs += 2000;
        assertEquals(1, watcher.doWork());
        assertEquals(-1, find(users, "alice", DigestAlgorithm.MD5), "a removed file holds no users");
    }

    private UsersFileWatcher watcher(final UsersFile users)
    {
        return new UsersFileWatcher(users, () -> nowMs, 2000, errors::add, reloads, reloadErrors);
    }

    private static int find(final UsersFile users, final String user, final int algorithm)
    {
        final UnsafeBuffer name = new UnsafeBuffer(user.getBytes(StandardCharsets.US_ASCII));
        return users.users().find(name, 0, name.capacity(), REALM, algorithm);
    }
}
