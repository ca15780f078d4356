package org.carnet.identity.limits;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bucket4j's buckets in the database, so that every node draws from the same budget: N nodes do not
 * give N times the limit. Bucket4j's own select-for-update algorithm (lock the row, read the state,
 * write it back, commit) over one table; its PostgreSQL module writes {@code ON CONFLICT (id)}, which
 * H2 refuses, so the few statements are written here in the form both databases take. Each check uses
 * a connection of its own for a few milliseconds, outside any transaction of the request.
 */
public final class SharedBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

    private static final String INSERT =
            "INSERT INTO rate_limit_buckets (id, state, updated_at) VALUES (?, NULL, ?) ON CONFLICT DO NOTHING";
    private static final String SELECT = "SELECT state FROM rate_limit_buckets WHERE id = ? FOR UPDATE";
    private static final String UPDATE = "UPDATE rate_limit_buckets SET state = ?, updated_at = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM rate_limit_buckets WHERE id = ?";

    private final DataSource dataSource;
    private final Clock clock;

    public SharedBuckets(DataSource dataSource, Clock clock) {
        super(ClientSideConfig.getDefault());
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
        try {
            return new RowTransaction(dataSource.getConnection(), key);
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    @Override
    public void removeProxy(String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, key);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    /** Deletes the buckets nobody drew from since {@code before}: a bucket that was refilled meanwhile is full. */
    public int prune(Instant before) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM rate_limit_buckets WHERE updated_at < ?")) {
            delete.setLong(1, before.toEpochMilli());
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    /** One check of one bucket: its row locked, read and written back on one connection. */
    private final class RowTransaction implements SelectForUpdateBasedTransaction {

        private final Connection connection;
        private final String key;

        RowTransaction(Connection connection, String key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public void begin(Optional<Long> timeoutNanos) {
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
            try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                applyTimeout(select, timeoutNanos);
                select.setString(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? LockAndGetResult.locked(rs.getBytes(1)) : LockAndGetResult.notLocked();
                }
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                applyTimeout(insert, timeoutNanos);
                insert.setString(1, key);
                insert.setLong(2, clock.millis());
                return insert.executeUpdate() > 0;
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeoutNanos) {
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                applyTimeout(update, timeoutNanos);
                update.setBytes(1, data);
                update.setLong(2, clock.millis());
                update.setString(3, key);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void commit(Optional<Long> timeoutNanos) {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void rollback() {
            try {
                connection.rollback();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }

        @Override
        public void release() {
            try {
                connection.setAutoCommit(true);
                connection.close();
            } catch (SQLException e) {
                throw new BucketExceptions.BucketExecutionException(e);
            }
        }
    }
}
