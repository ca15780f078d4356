-- identity: the rate limits' token buckets (Bucket4j), shared by every node so that N nodes do not give
-- N times the budget. The id names what is limited and a keyed hash (blind index) of the source (an
-- IPv4 address or an IPv6 /64), never the address itself;
-- the state is Bucket4j's serialised bucket; updated_at (epoch milliseconds) lets idle buckets be pruned.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(200) PRIMARY KEY,
    state      BYTEA,
    updated_at BIGINT       NOT NULL
);
CREATE INDEX rate_limit_buckets_updated ON rate_limit_buckets (updated_at);
