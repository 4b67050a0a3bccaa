import Foundation
import Postgres

/// Standbys: what a connection is (a primary or a hot standby), how fresh a standby's data is, where its
/// primary is, and the replication state `regctl db standby status` shows.
extension Store {
    /// Whether this connection's server is a hot standby (in recovery: it takes no writes).
    public func isStandby() throws -> Bool {
        try connection.query("SELECT pg_is_in_recovery()").first?.decode(0, as: Bool.self) ?? false
    }

    /// How fresh a standby's data is: the commit time of the last transaction it replayed, as text in the
    /// server's time zone (`2026-11-30 22:40:01+08`); when it has replayed all it received, now (it is as
    /// fresh as its primary's last word). Nil on a primary.
    public func replayedAt() throws -> String? {
        try connection.query(
            """
            SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
                        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
                             OR pg_last_xact_replay_timestamp() IS NULL
                        THEN to_char(now(), 'YYYY-MM-DD HH24:MI:SSOF')
                        ELSE to_char(pg_last_xact_replay_timestamp(), 'YYYY-MM-DD HH24:MI:SSOF') END
            """
        ).first?.decode(0, as: String?.self)
    }
}

extension DatabaseLocation {
    /// The primary of the standby `standby` is connected to, as this location's login: the host and port its
    /// WAL comes from when the login may see them (`pg_stat_wal_receiver`), else this location's own hosts
    /// with `target_session_attrs=read-write` (a URL naming several hosts finds the primary among them).
    public func openPrimary(besides standby: Store) throws -> Store {
        var overrides = [("target_session_attrs", "read-write"), ("connect_timeout", "5")]
        if let row = try? standby.connection.query(
            "SELECT sender_host, sender_port FROM pg_stat_wal_receiver WHERE sender_host IS NOT NULL"
        ).first, let host = try row.decode(0, as: String?.self), let port = try row.decode(1, as: Int?.self) {
            overrides += [("host", host), ("port", String(port))]
        }
        do {
            return Store(connection: try Connection(connectionString, overrides: overrides))
        } catch {
            return Store(
                connection: try Connection(
                    connectionString, overrides: [("target_session_attrs", "read-write"), ("connect_timeout", "5")]))
        }
    }

    /// One row a standby: on a primary, each standby streaming from it (`pg_stat_replication`: its name,
    /// state, whether commits wait for it, how far behind it is in bytes of WAL and in seconds); on a
    /// standby, itself (what it received and has not yet replayed, and since when).
    public func replicationStatus() throws -> ResultTable {
        let store = try openExisting()
        let columns = ["server", "standby", "state", "sync", "lag_bytes", "lag_seconds", "replayed_at"]
        let rows: Rows
        if try store.isStandby() {
            rows = try store.connection.query(
                """
                SELECT 'standby' AS server, current_setting('cluster_name') AS standby,
                       coalesce((SELECT status FROM pg_stat_wal_receiver), 'not connected') AS state, '-' AS sync,
                       greatest(0, pg_wal_lsn_diff(
                           greatest(pg_last_wal_receive_lsn(), (SELECT latest_end_lsn FROM pg_stat_wal_receiver)),
                           pg_last_wal_replay_lsn()))::bigint AS lag_bytes,
                       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                            ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 3) END::float8 AS lag_seconds,
                       to_char(pg_last_xact_replay_timestamp(), 'YYYY-MM-DD HH24:MI:SSOF') AS replayed_at
                """)
        } else {
            rows = try store.connection.query(
                """
                SELECT 'primary' AS server, application_name AS standby, state, sync_state AS sync,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes,
                       coalesce(round(extract(epoch FROM replay_lag), 3), 0)::float8 AS lag_seconds,
                       to_char(reply_time, 'YYYY-MM-DD HH24:MI:SSOF') AS replayed_at
                FROM pg_stat_replication ORDER BY application_name
                """)
        }
        return ResultTable(
            columns: columns,
            rows: try rows.map { row in
                [
                    .text(try row.decode("server", as: String.self)), .text(try row.decode("standby", as: String.self)),
                    .text(try row.decode("state", as: String.self)), .text(try row.decode("sync", as: String.self)),
                    (try row.decode("lag_bytes", as: Int?.self)).map(Cell.int) ?? .null,
                    (try row.decode("lag_seconds", as: Double?.self)).map(Cell.decimal) ?? .null,
                    (try row.decode("replayed_at", as: String?.self)).map(Cell.text) ?? .null
                ]
            })
    }

    /// `--synchronous-commit`'s values: off, on, remote_apply.
    public static let synchronousCommitModes = LocalCluster.SynchronousCommit.allCases.map(\.rawValue)

    /// Makes a hot standby of the embedded cluster in `home` (`LocalCluster.createStandby`): its data
    /// directory, its name on the primary, and its URL.
    public func createStandby(home: String, synchronousCommit: String) throws -> (
        dataDirectory: String, name: String, url: String
    ) {
        let standby = try cluster.createStandby(
            at: home, synchronous: LocalCluster.SynchronousCommit(rawValue: synchronousCommit) ?? .off)
        return (standby.dataDirectory, LocalCluster.standbyName(home: home), standby.url())
    }

    /// Takes a standby of the embedded cluster off it for good (`LocalCluster.dropStandby`): by its home or its name.
    public func dropStandby(home: String?, name: String?) throws -> LocalCluster.DroppedStandby {
        try cluster.dropStandby(name: name, home: home)
    }

    /// Promotes the standby this location reaches to a primary (`pg_promote`, waiting up to a minute).
    public func promote() throws {
        let store = try openExisting()
        guard try store.isStandby() else {
            throw RegctlError(
                "db.not-standby",
                "\(redactedURL) is a primary already; promote the standby (REGCTL_HOME=its home, or --database its URL)",
                status: .refused)
        }
        let promoted = try store.connection.query("SELECT pg_promote(true, 60)").first?.decode(0, as: Bool.self)
        guard promoted == true else {
            throw RegctlError(
                "db.unavailable", "the standby did not finish its promotion within a minute; see its log",
                status: .unavailable)
        }
    }
}
