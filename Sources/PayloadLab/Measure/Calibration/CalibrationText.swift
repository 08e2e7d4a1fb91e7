/// Deterministic, compressible text for the zstd calibration: lines of 6–14 words drawn from a fixed vocabulary
/// by a seeded generator (`SeededGenerator`). The same seed and size give the same bytes on every machine, so `zstd -b` can be run on
/// a file of the very text the calibration used (`payloadlab calibrate` does not need it; tests and the README do).
enum CalibrationText {
    static let vocabulary: [[UInt8]] = {
        let words = """
            the of and to in is that for it as with was on be by this are from at or an have not which but all \
            were one they can their there been has more if will would what when so no time out up into other \
            some could them these than then its two may only first new like over such our also after any most \
            well where through back much should between each those now people because many before same under \
            while last right three might must still large since never state world again own house small point \
            number system program question during work government public order part place case week company \
            payload worker process thread buffer pipe memory kernel page cache fault copy serialize transfer \
            decode encode record field value index offset length checksum stage sample median spread budget \
            measure calibrate report model predict crossover pool queue signal spawn exit status descriptor \
            alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa \
            quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber basalt cobalt dune ember \
            fjord granite harbor iris jasper kelp lagoon meadow nectar onyx prairie quartz ridge sable tundra \
            umber velvet willow yarrow zephyr anchor beacon canyon drift estuary falcon glacier horizon island \
            journey keystone lantern monsoon nebula orchard pinnacle quiver rapids summit tempest upland vertex \
            wander zenith 0 1 2 3 4 5 6 7 8 9 10 42 64 128 256 512 1024 2048 4096 65536 1048576
            """
        return words.split(separator: " ").map { Array($0.utf8) }
    }()

    /// Exactly `byteCount` bytes of word lines (the last line is cut at `byteCount`).
    static func wordLines(byteCount: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var text: [UInt8] = []
        text.reserveCapacity(byteCount + 256)
        let vocabularyCount = UInt64(vocabulary.count)
        while text.count < byteCount {
            let wordsInLine = 6 + Int(generator.next() % 9)
            for index in 0..<wordsInLine {
                if index > 0 { text.append(UInt8(ascii: " ")) }
                text.append(contentsOf: vocabulary[Int(generator.next() % vocabularyCount)])
            }
            text.append(UInt8(ascii: "\n"))
        }
        text.removeLast(text.count - byteCount)
        return text
    }
}
