package io.corral.engine.registrar;

import org.agrona.DirectBuffer;

/**
 * Which users exist (e.g. the users file of the authentication component): tells "unknown user" (404) from "known
 * but not registered" (480) when an address-of-record has no contact. Called on the SIP loop: must not allocate or
 * block.
 */
public interface KnownUsers
{
    /** No user is known: an AOR without contacts is answered 404. */
    KnownUsers NONE = (buffer, offset, length) -> false;

    /**
     * @param buffer holding the user part of the address-of-record, unescaped (e.g. {@code alice}).
     * @param offset of the user.
     * @param length of the user.
     * @return true if the user exists.
     */
    boolean isKnown(DirectBuffer buffer, int offset, int length);
}
