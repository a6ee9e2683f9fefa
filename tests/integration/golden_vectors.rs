//! Golden vectors for every hashed field: raw input → normalized text → SHA-256.
//!
//! The normalized text and its digest were written down by hand and the digests computed
//! outside pinspect, with `printf '%s' 'NORMALIZED' | sha256sum` (UTF-8 bytes), so these tests
//! check pinspect against an independent implementation, not against itself.

use pinspect::core::diagnostics::Severity;
use pinspect::core::event::parse_text;
use pinspect::core::fields::HashedField;
use pinspect::core::inspect::inspect_all;
use pinspect::core::mapping::Mapping;
use pinspect::core::normalize::{self, Options};
use serde_json::json;

/// (field, raw input, default phone country, strip name diacritics, normalized, SHA-256).
type Vector = (
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
    &'static str,
    &'static str,
);

pub const VECTORS: &[Vector] = &[
    (
        "em",
        " Jane.Doe@Example.COM ",
        None,
        false,
        "jane.doe@example.com",
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
    ),
    (
        "em",
        "TEST.USER@example.com",
        None,
        false,
        "test.user@example.com",
        "a97d7a4513204a9cc7cb2f11d72d41a59b18d1ba633d22e58d53c625518f5203",
    ),
    (
        "em",
        "JOS\u{c9}@Exemple.fr",
        None,
        false,
        "jos\u{e9}@exemple.fr",
        "9f441f92d7b73dbed0afd600bbb495147e157984bfa37c9435358fee50340775",
    ),
    (
        "em",
        "JOSE\u{301}@Exemple.fr",
        None,
        false,
        "jos\u{e9}@exemple.fr",
        "9f441f92d7b73dbed0afd600bbb495147e157984bfa37c9435358fee50340775",
    ),
    (
        "em",
        "\u{dc}nal.\u{d6}z@Beispiel.de",
        None,
        false,
        "\u{fc}nal.\u{f6}z@beispiel.de",
        "d4b6eeea2b324355532a30ee1512c6bef2552a0787dc9efea49b07a09691100e",
    ),
    (
        "ph",
        "+1 (650) 555-1212",
        None,
        false,
        "16505551212",
        "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
    ),
    (
        "ph",
        "+33 6 55 50 12 34",
        None,
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "0033 6 55 50 12 34",
        None,
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "06 55 50 12 34",
        Some("FR"),
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "06.55.50.12.34",
        Some("fr"),
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "(650) 555-1212",
        Some("US"),
        false,
        "16505551212",
        "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
    ),
    (
        "ph",
        "07911 123456",
        Some("GB"),
        false,
        "447911123456",
        "40b5c38342a9c584ec707e8679b003f8c779c6aaa138c976ef94e049cc05208f",
    ),
    (
        "ph",
        "+44 (0)20 7946 0000",
        None,
        false,
        "442079460000",
        "38e62b3e091778f9214de3aa00ae498aa4b78433d73dec5977eb2ec1c8be4a69",
    ),
    (
        "ph",
        "030 1234567",
        Some("DE"),
        false,
        "49301234567",
        "2f9fbc550b12cbc0e6242384cc472bd1e4f058a8b773f189f7acb86d202655ce",
    ),
    (
        "ph",
        "+49 30 1234567",
        Some("FR"),
        false,
        "49301234567",
        "2f9fbc550b12cbc0e6242384cc472bd1e4f058a8b773f189f7acb86d202655ce",
    ),
    (
        "ph",
        "0412 345 678",
        Some("AU"),
        false,
        "61412345678",
        "222e24d90b23ba2af558a2891bfa399f19a7eb9f33df34a7d6809b97c5a97246",
    ),
    (
        "ph",
        "+81 3-1234-5678",
        None,
        false,
        "81312345678",
        "62c407a403882b2b8611b5e7771a63fb7883984e4e25393e1ae4d218f5514610",
    ),
    (
        "ph",
        "16505551212",
        None,
        false,
        "16505551212",
        "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
    ),
    (
        "ph",
        "33655501234",
        Some("FR"),
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "+1 650 555 1212",
        Some("FR"),
        false,
        "16505551212",
        "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
    ),
    (
        "ge",
        "Female",
        None,
        false,
        "f",
        "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
    ),
    (
        "ge",
        "M",
        None,
        false,
        "m",
        "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a",
    ),
    (
        "ge",
        "M\u{e4}nnlich",
        None,
        false,
        "m",
        "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a",
    ),
    (
        "ge",
        "non-binary",
        None,
        false,
        "n",
        "1b16b1df538ba12dc3f97edbb85caa7050d46c148134290feba80f8236c83db9",
    ),
    (
        "ge",
        " femme ",
        None,
        false,
        "f",
        "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
    ),
    (
        "db",
        "1985-03-17",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "1985/03/17",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "1985.03.17",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "19850317",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17/03/1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "03/17/1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17-03-1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17.03.1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "04.05.1985",
        None,
        false,
        "19850504",
        "684fb5e6b051825f36a834c86cbd3dffdda9f969b5f9f42360365f0647f0beab",
    ),
    (
        "db",
        "5/5/1985",
        None,
        false,
        "19850505",
        "5247d8632ce440beb121eb9e571cd17485f0ed545c11bb3ab2df5f9745620795",
    ),
    (
        "db",
        "17031985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "03171985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "1985-03-17T10:20:30Z",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "1985-03-17 10:20:30",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17 March 1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "March 17th, 1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17 mars 1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "17-Mar-1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "fn",
        "  Zo\u{eb} ",
        None,
        false,
        "zo\u{eb}",
        "2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450",
    ),
    (
        "fn",
        "Zoe\u{308}",
        None,
        false,
        "zo\u{eb}",
        "2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450",
    ),
    (
        "fn",
        "JOS\u{c9}",
        None,
        false,
        "jos\u{e9}",
        "d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866",
    ),
    (
        "fn",
        "\u{141}ukasz",
        None,
        false,
        "\u{142}ukasz",
        "974282d5169583fd089607c615244d5495c50f3be4e9e5274ad64a27dc8ee84e",
    ),
    (
        "fn",
        "Zo\u{eb}",
        None,
        true,
        "zoe",
        "9d017e2681b7f31725e1c0fbe2612e89079c22806b02cf7a894b500dd5a219c1",
    ),
    (
        "ln",
        "M\u{fc}ller",
        None,
        false,
        "m\u{fc}ller",
        "2dbd218072117713f2d5996a726a9b216ed791ffd0783b6ba4ab6d61b8333192",
    ),
    (
        "ln",
        "Mu\u{308}ller",
        None,
        false,
        "m\u{fc}ller",
        "2dbd218072117713f2d5996a726a9b216ed791ffd0783b6ba4ab6d61b8333192",
    ),
    (
        "ln",
        "\u{d1}\u{fa}\u{f1}ez",
        None,
        false,
        "\u{f1}\u{fa}\u{f1}ez",
        "ef0f32687101005211851ff737c53e065194a7c1d853ca0c52d7415db5abd3e3",
    ),
    (
        "ln",
        "O'Brien",
        None,
        false,
        "o'brien",
        "65b87174be3b1b122e2b0929f0b84888637d31a4a83bb96a860bcff411f5e668",
    ),
    (
        "ln",
        "Smith",
        None,
        false,
        "smith",
        "6627835f988e2c5e50533d491163072d3f4f41f5c8b04630150debb3722ca2dd",
    ),
    (
        "ct",
        "Menlo Park",
        None,
        false,
        "menlopark",
        "0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685",
    ),
    (
        "ct",
        "Saint-\u{c9}tienne",
        None,
        false,
        "saint\u{e9}tienne",
        "bb35a91d6f2bd7ba807fdd240cc838bdd3b20fe1a6fdedba60d941fbe8d5c10f",
    ),
    (
        "ct",
        "Saint-E\u{301}tienne",
        None,
        false,
        "saint\u{e9}tienne",
        "bb35a91d6f2bd7ba807fdd240cc838bdd3b20fe1a6fdedba60d941fbe8d5c10f",
    ),
    (
        "ct",
        "S\u{e3}o Paulo",
        None,
        false,
        "s\u{e3}opaulo",
        "3eda1428ae1aece064071f8d40f08fe2bc59ffa66c171a163caf15122ec4d7f0",
    ),
    (
        "ct",
        " New York City ",
        None,
        false,
        "newyorkcity",
        "f0802d4c67ac66013292e4d04adeb815b0431c0e1633c999ca1557d64fed5ff9",
    ),
    (
        "st",
        "CA",
        None,
        false,
        "ca",
        "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
    ),
    (
        "st",
        "California",
        None,
        false,
        "ca",
        "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
    ),
    (
        "st",
        "new york",
        None,
        false,
        "ny",
        "1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683",
    ),
    (
        "st",
        "N.Y.",
        None,
        false,
        "ny",
        "1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683",
    ),
    (
        "st",
        "US-TX",
        None,
        false,
        "tx",
        "1b5b9ccb3e8d006a5230de9bda23ff91edc794d4f56410560830b418528e446c",
    ),
    (
        "st",
        "Qu\u{e9}bec",
        None,
        false,
        "qc",
        "997164d13810adf6cab52541447d083c4472e5ca6052cc6ddd9501318ac5730c",
    ),
    (
        "zp",
        "94025",
        None,
        false,
        "94025",
        "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7",
    ),
    (
        "zp",
        "94025-1234",
        None,
        false,
        "94025",
        "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7",
    ),
    (
        "zp",
        "94025 1234",
        None,
        false,
        "94025",
        "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7",
    ),
    (
        "zp",
        "02134",
        None,
        false,
        "02134",
        "1f75e2dac5b82521f112e293235aaeeb5dad684c5ede8469c1ec015b22bba44c",
    ),
    (
        "zp",
        "SW1A 1AA",
        None,
        false,
        "sw1a1aa",
        "830e1d4b9838bab1f5c2acdb23e0b502ff13a9832c4632e8d67a1d43d3b7f614",
    ),
    (
        "zp",
        "EC1A-1BB",
        None,
        false,
        "ec1a1bb",
        "636efa87fe7d1f12f2755e36182415f38a6c589471a98aeb88f0f8af7a03a6b2",
    ),
    (
        "zp",
        "K1A 0B1",
        None,
        false,
        "k1a0b1",
        "3e8d74314dc02166b1ea8c7bd8c2357fb3f9898074395b8c57f8799848b4daa1",
    ),
    (
        "zp",
        "75001",
        None,
        false,
        "75001",
        "3f089dbdff98360a35193e7d401b76b21f5c0d5d6fb76a28660aaaed83a4c3e3",
    ),
    (
        "country",
        "US",
        None,
        false,
        "us",
        "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
    ),
    (
        "country",
        "usa",
        None,
        false,
        "us",
        "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
    ),
    (
        "country",
        "FRA",
        None,
        false,
        "fr",
        "67ad8f41a7bb0a18c45f3efd8f6a32bdcd832bcf8f3f2eb44006c03d53076e18",
    ),
    (
        "country",
        "DEU",
        None,
        false,
        "de",
        "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578",
    ),
    (
        "country",
        "GBR",
        None,
        false,
        "gb",
        "0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677",
    ),
    (
        "country",
        "United States",
        None,
        false,
        "us",
        "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
    ),
    (
        "country",
        "United States of America",
        None,
        false,
        "us",
        "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
    ),
    (
        "country",
        "Germany",
        None,
        false,
        "de",
        "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578",
    ),
    (
        "country",
        "United Kingdom",
        None,
        false,
        "gb",
        "0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677",
    ),
    (
        "country",
        "Korea, Republic of",
        None,
        false,
        "kr",
        "d5647005d31dcbb66ff531c5e097544a03558bc538b9c65ee2539594886ffbc0",
    ),
    (
        "country",
        "C\u{f4}te d'Ivoire",
        None,
        false,
        "ci",
        "1b158839f8aa339e89bb50b1603e90ec68e0fd5565fe10a7cb32729fddf7070a",
    ),
    (
        "country",
        "Viet Nam",
        None,
        false,
        "vn",
        "0217e4ba5939e0f93036eb33734d1d722b25af6362662f1dd49267a2faff1b54",
    ),
    (
        "external_id",
        " user-12345 ",
        None,
        false,
        "user-12345",
        "43a2f41a7bffacce74013d74a2f459db5d69d38e061cb8d0e5e262102e2d98d7",
    ),
    (
        "external_id",
        "ABC-42",
        None,
        false,
        "ABC-42",
        "4d53a582d815c84586e4f43874518a7b950d0c5d9611b63c653b19d1be54aded",
    ),
    (
        "hashed_maids",
        "38400000-8CF0-11BD-B23E-10B96E40000D",
        None,
        false,
        "38400000-8cf0-11bd-b23e-10b96e40000d",
        "d4181bb455a74b3bc8b37c75ac9b2c702eb6b9930bd040b861403b31ca85634d",
    ),
    (
        "hashed_maids",
        " 38400000-8cf0-11bd-b23e-10b96e40000d",
        None,
        false,
        "38400000-8cf0-11bd-b23e-10b96e40000d",
        "d4181bb455a74b3bc8b37c75ac9b2c702eb6b9930bd040b861403b31ca85634d",
    ),
    (
        "em",
        "\u{feff}Jane.Doe@Example.com\u{200b}",
        None,
        false,
        "jane.doe@example.com",
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
    ),
    (
        "em",
        "mailto:Jane.Doe@Example.com?subject=Order",
        None,
        false,
        "jane.doe@example.com",
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
    ),
    (
        "em",
        "\"Doe, Jane\" <Jane.Doe@Example.com>",
        None,
        false,
        "jane.doe@example.com",
        "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
    ),
    (
        "ph",
        "+33 6 55 50 12 34;ext=12",
        None,
        false,
        "33655501234",
        "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa",
    ),
    (
        "ph",
        "\u{200e}+1 650 555 1212",
        None,
        false,
        "16505551212",
        "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
    ),
    (
        "db",
        "Sunday, March 17, 1985",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "db",
        "Sun Mar 17 1985 00:00:00 GMT+0100 (Central European Standard Time)",
        None,
        false,
        "19850317",
        "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a",
    ),
    (
        "fn",
        "Jos\u{00ad}é\u{2060}",
        None,
        false,
        "josé",
        "d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866",
    ),
    (
        "hashed_maids",
        "{38400000-8CF0-11BD-B23E-10B96E40000D}",
        None,
        false,
        "38400000-8cf0-11bd-b23e-10b96e40000d",
        "d4181bb455a74b3bc8b37c75ac9b2c702eb6b9930bd040b861403b31ca85634d",
    ),
];

#[test]
fn every_vector_normalizes_and_hashes_exactly() {
    let mut failures = Vec::new();
    for (key, raw, country, strip, want_normalized, want_sha256) in VECTORS {
        let field = HashedField::from_key(key).expect("a hashed field");
        let options = Options {
            default_phone_country: country.map(str::to_owned),
            strip_name_diacritics: *strip,
            now: None,
        };
        let result = normalize::hashed(field, raw, false, &options);
        let value = result.value.as_ref();
        let normalized = value.and_then(|v| v.normalized.as_deref());
        let sha256 = value.map(|v| v.sha256.as_str());
        if normalized != Some(*want_normalized) || sha256 != Some(*want_sha256) {
            failures.push(format!(
                "{key} {raw:?}: got {normalized:?} {sha256:?}, want {want_normalized:?} {want_sha256}; findings {:?}",
                result.findings
            ));
        }
        let serious: Vec<_> = result
            .findings
            .iter()
            .filter(|f| f.code.severity() > Severity::Info)
            .collect();
        if !serious.is_empty() {
            failures.push(format!("{key} {raw:?}: unexpected findings {serious:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_hashed_field_has_vectors() {
    for field in HashedField::ALL {
        let count = VECTORS.iter().filter(|v| v.0 == field.key()).count();
        assert!(count >= 2, "{} has {count} golden vectors", field.key());
    }
}

#[test]
fn prehashed_values_pass_through_lower_cased() {
    // printf '%s' 'jane.doe@example.com' | sha256sum, written in upper case.
    let upper = "86E0B9E56C17CC4D12387E1949B85053FBE73BC3CE5A1188713A9D300CC6133D";
    for field in HashedField::ALL {
        let result = normalize::hashed(field, upper, true, &Options::default());
        let value = result.value.expect("passed through");
        assert_eq!(value.sha256, upper.to_ascii_lowercase(), "{field:?}");
        assert_eq!(value.normalized, None);
        assert_eq!(result.findings[0].code.as_str(), "hash.prehashed");
    }
}

#[test]
fn vectors_hold_through_the_whole_mapping() {
    let input = json!({
        "event_name": "purchase",
        "user": {
            "email": " Jane.Doe@Example.COM ", "phone": "06 55 50 12 34", "gender": "Female",
            "birthdate": "17/03/1985", "firstname": "Zoe\u{308}", "lastname": "Mu\u{308}ller",
            "city": "Saint-E\u{301}tienne", "state_short": "California", "zipcode": "94025-1234",
            "country": "FRA", "id": " user-12345 "
        },
        "context": {"event_id": "e", "event_timestamp": 1_744_955_619_974_u64,
            "device": {"advertising_id": "38400000-8CF0-11BD-B23E-10B96E40000D"}}
    });
    let events = parse_text("vectors", &input.to_string()).expect("parses");
    let mut mapping = Mapping::default();
    mapping.settings.default_phone_country = Some("FR".to_owned());
    let inspections = inspect_all(&events, &mapping, 1_744_956_000);
    let user_data = &inspections[0].payload.as_ref().expect("payload")["user_data"];
    for (key, want) in [
        (
            "em",
            "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",
        ),
        ("ph", find("ph", "33655501234")),
        (
            "ge",
            "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
        ),
        ("db", find("db", "19850317")),
        ("fn", find("fn", "zo\u{eb}")),
        ("ln", find("ln", "m\u{fc}ller")),
        ("ct", find("ct", "saint\u{e9}tienne")),
        (
            "st",
            "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
        ),
        ("zp", find("zp", "94025")),
        ("country", find("country", "fr")),
        (
            "external_id",
            "43a2f41a7bffacce74013d74a2f459db5d69d38e061cb8d0e5e262102e2d98d7",
        ),
        (
            "hashed_maids",
            "d4181bb455a74b3bc8b37c75ac9b2c702eb6b9930bd040b861403b31ca85634d",
        ),
    ] {
        assert_eq!(user_data[key], json!([want]), "{key}");
    }
}

/// The digest of a vector's normalized text, from the table.
fn find(key: &str, normalized: &str) -> &'static str {
    VECTORS
        .iter()
        .find(|v| v.0 == key && v.4 == normalized)
        .map(|v| v.5)
        .expect("a vector with this normalized text")
}
