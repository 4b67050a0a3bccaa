import CLibPQ
import Foundation

/// Owns one `PGresult` and clears it when the last reference goes.
final class ResultHandle {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { PQclear(pointer) }
}

/// The rows a statement returned (binary format), and how many rows it changed.
public struct Rows: RandomAccessCollection {
    let handle: ResultHandle
    /// Column names, in order.
    public let columns: [String]
    let types: [UInt32]
    let columnIndex: [String: Int]
    /// Rows inserted, updated, deleted or copied (`PQcmdTuples`), 0 when not reported.
    public let affected: Int

    init(_ handle: ResultHandle) {
        self.handle = handle
        let p = handle.pointer
        let n = Int(PQnfields(p))
        var columns: [String] = []
        var types: [UInt32] = []
        var index: [String: Int] = [:]
        for i in 0..<n {
            let name = String(cString: PQfname(p, Int32(i)))
            columns.append(name)
            types.append(PQftype(p, Int32(i)))
            if index[name] == nil { index[name] = i }
        }
        self.columns = columns
        self.types = types
        self.columnIndex = index
        self.affected = Int(String(cString: PQcmdTuples(p))) ?? 0
        self.endIndex = Int(PQntuples(p))
    }

    public let startIndex = 0
    public let endIndex: Int
    public subscript(position: Int) -> Row { Row(rows: self, index: position) }

    /// Decodes every row into `T`, columns matched to properties by name (snake_case columns to camelCase).
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        try map { try $0.decode(T.self) }
    }

    func value(row: Int, column: Int) -> PostgresValue {
        let p = handle.pointer
        let name = columns[column]
        if PQgetisnull(p, Int32(row), Int32(column)) != 0 {
            return PostgresValue(type: types[column], bytes: nil, column: name)
        }
        let length = Int(PQgetlength(p, Int32(row), Int32(column)))
        let bytes = UnsafeRawBufferPointer(start: PQgetvalue(p, Int32(row), Int32(column)), count: length)
        return PostgresValue(type: types[column], bytes: bytes, column: name)
    }
}

/// One row of a result; reads its columns by position or name.
public struct Row {
    let rows: Rows
    let index: Int

    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard column >= 0, column < rows.columns.count else {
            throw PostgresError(kind: .decoding, message: "no column \(column); the result has \(rows.columns.count)")
        }
        return try T.decode(rows.value(row: index, column: column))
    }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let i = rows.columnIndex[column] else {
            throw PostgresError(
                kind: .decoding, message: "no column \(column) in the result (\(rows.columns.joined(separator: ", ")))")
        }
        return try T.decode(rows.value(row: index, column: i))
    }

    public func isNull(_ column: Int) -> Bool {
        PQgetisnull(rows.handle.pointer, Int32(index), Int32(column)) != 0
    }

    /// Decodes the row into a `Decodable` struct.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

/// A `Decoder` over one row: a keyed container whose keys are column names.
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw PostgresError(kind: .decoding, message: "a row decodes into a struct with named properties, not an array")
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw PostgresError(
            kind: .decoding, message: "a row decodes into a struct with named properties, not a single value")
    }
}

struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    var codingPath: [CodingKey] = []

    var allKeys: [Key] { row.rows.columns.compactMap { Key(stringValue: $0) } }

    func column(for key: Key) -> Int? {
        row.rows.columnIndex[key.stringValue] ?? row.rows.columnIndex[RowContainer.snakeCase(key.stringValue)]
    }

    static func snakeCase(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    func contains(_ key: Key) -> Bool { column(for: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let c = column(for: key) else { return true }
        return row.isNull(c)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let c = column(for: key) else {
            throw PostgresError(
                kind: .decoding,
                message: "no column \(key.stringValue) in the result (\(row.rows.columns.joined(separator: ", ")))")
        }
        if let decodable = T.self as? PostgresDecodable.Type {
            return try decodable.decode(row.rows.value(row: row.index, column: c)) as! T
        }
        if let raw = T.self as? any RawRepresentable.Type {
            return try Self.decodeRaw(raw, value: row.rows.value(row: row.index, column: c)) as! T
        }
        throw PostgresError(
            kind: .decoding, message: "property \(key.stringValue) has type \(T.self), which has no PostgreSQL decoding"
        )
    }

    private static func decodeRaw<R: RawRepresentable>(_ type: R.Type, value: PostgresValue) throws -> R {
        guard let rawType = R.RawValue.self as? PostgresDecodable.Type,
            let raw = try rawType.decode(value) as? R.RawValue, let v = R(rawValue: raw)
        else {
            throw PostgresError(
                kind: .decoding, message: "column \(value.column) holds a value that is not a \(R.self)")
        }
        return v
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw PostgresError(
            kind: .decoding, message: "nested containers are not supported in row decoding (\(key.stringValue))")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        throw PostgresError(
            kind: .decoding, message: "nested containers are not supported in row decoding (\(key.stringValue))")
    }

    func superDecoder() throws -> Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> Decoder { RowDecoder(row: row) }
}
