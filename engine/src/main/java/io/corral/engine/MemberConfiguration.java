package io.corral.engine;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys that identify a member and where it keeps its files.
 */
public final class MemberConfiguration
{
    /** Member id in the farm (1..63), carried in every Via branch and Record-Route the member writes. */
    public static final ConfigKey MEMBER_ID = ConfigKey.of(
        "corral.member.id", "1", ValueTypes.integer(1, 63),
        "Member id in the farm, carried in every Via branch and Record-Route this member writes.");

    /** Directory under which the member writes every file; one live member per directory. */
    public static final ConfigKey DATA_DIR = ConfigKey.of(
        "corral.data.dir", "./data", ValueTypes.nonEmpty(),
        "Directory holding every file the member writes (status, state, logs); one live member per directory.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(MEMBER_ID, DATA_DIR);

    private MemberConfiguration()
    {
    }
}
