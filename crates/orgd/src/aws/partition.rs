//! AWS partitions: which partition a region belongs to, from the region name's shape as
//! botocore's partition data (`partitions.json`, `regionRegex`) defines it.

/// One partition: its name and the prefixes its regions start with.
struct Partition {
    name: &'static str,
    /// A region of the partition is `<prefix>-<word>-<digits>`.
    prefixes: &'static [&'static str],
}

const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
    },
    Partition {
        name: "aws-cn",
        prefixes: &["cn"],
    },
    Partition {
        name: "aws-us-gov",
        prefixes: &["us-gov"],
    },
    Partition {
        name: "aws-iso",
        prefixes: &["us-iso"],
    },
    Partition {
        name: "aws-iso-b",
        prefixes: &["us-isob"],
    },
    Partition {
        name: "aws-iso-e",
        prefixes: &["eu-isoe"],
    },
    Partition {
        name: "aws-iso-f",
        prefixes: &["us-isof"],
    },
    Partition {
        name: "aws-eusc",
        prefixes: &["eusc-de"],
    },
];

fn is_region_of(region: &str, prefix: &str) -> bool {
    let Some(rest) = region
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let Some((word, digits)) = rest.split_once('-') else {
        return false;
    };
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The partition of `region` (`aws`, `aws-cn`, `aws-us-gov`, ...), if it is a region of one.
pub fn partition_of(region: &str) -> Option<&'static str> {
    PARTITIONS
        .iter()
        .find(|p| p.prefixes.iter().any(|prefix| is_region_of(region, prefix)))
        .map(|p| p.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_their_partitions() {
        assert_eq!(partition_of("us-east-1"), Some("aws"));
        assert_eq!(partition_of("eu-west-3"), Some("aws"));
        assert_eq!(partition_of("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition_of("us-iso-east-1"), Some("aws-iso"));
        assert_eq!(partition_of("us-isob-east-1"), Some("aws-iso-b"));
        assert_eq!(partition_of("eu-isoe-west-1"), Some("aws-iso-e"));
        assert_eq!(partition_of("us-isof-south-1"), Some("aws-iso-f"));
        assert_eq!(partition_of("eusc-de-east-1"), Some("aws-eusc"));
        assert_eq!(partition_of("cn-northwest-1"), Some("aws-cn"));
    }

    #[test]
    fn names_that_are_no_region_belong_to_no_partition() {
        for bad in [
            "",
            "mars-1",
            "us-east",
            "us-east-1a",
            "xx-east-1",
            "us--1",
            "aws-global",
            "*",
        ] {
            assert_eq!(partition_of(bad), None, "{bad}");
        }
    }
}
