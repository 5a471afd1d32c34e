//! A large report written past the system's page cache. Copying a report
//! of a gigabyte into the cache took the system as long as printing it,
//! and the pages were then written to the disk again by `fsync`. Once a
//! report is past `direct_after` bytes, its whole pages go to the disk
//! directly (Linux's `O_DIRECT`, from a buffer aligned to the page); the
//! last part page is written the usual way. Where the file system does
//! not take direct writes, or refuses one, the file is written the usual
//! way from there on: the bytes are the same either way.
use std::fs::File;
use std::io::{self, Write};

/// What direct writes are aligned to: the address, the length and the
/// place in the file (the largest logical block size of common disks).
const ALIGN: usize = 4096;

pub struct Sink {
    file: File,
    /// Bytes written so far: where the next write goes.
    written: u64,
    /// Direct writes are tried once this much is written.
    direct_after: u64,
    /// Direct writes are on.
    direct: bool,
    /// Direct writes were tried (and are not tried again).
    tried: bool,
    /// Their buffer: `pages` pages from where `raw` is aligned to a page.
    raw: Vec<u8>,
    pages: usize,
    /// Bytes written directly (for the tests).
    pub direct_bytes: u64,
    /// The tests' stand-in for a file system that refuses direct writes
    /// past this many bytes (as with `EINVAL`).
    #[cfg(test)]
    refuse_after: Option<u64>,
}

impl Sink {
    /// Writes into `file` (at its start), directly once `direct_after`
    /// bytes are written; `staging` bytes at a time (rounded up to pages).
    pub fn new(file: File, direct_after: u64, staging: usize) -> Sink {
        Sink {
            file,
            written: 0,
            direct_after,
            direct: false,
            tried: false,
            raw: Vec::new(),
            pages: staging.div_ceil(ALIGN).max(1),
            direct_bytes: 0,
            #[cfg(test)]
            refuse_after: None,
        }
    }

    pub fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        if !self.tried && self.written >= self.direct_after && self.written % ALIGN as u64 == 0 {
            self.tried = true;
            self.raw = vec![0; (self.pages + 1) * ALIGN];
            self.direct =
                self.raw.as_ptr().align_offset(ALIGN) < ALIGN && set_direct(&self.file, true);
        }
        while self.direct && data.len() >= ALIGN {
            let whole = (data.len() / ALIGN).min(self.pages) * ALIGN;
            let at = self.raw.as_ptr().align_offset(ALIGN);
            self.raw[at..at + whole].copy_from_slice(&data[..whole]);
            let done = self.write_direct(at..at + whole)?;
            self.written += done as u64;
            self.direct_bytes += done as u64;
            data = &data[done..];
        }
        if !data.is_empty() {
            // A part page, or what is left once direct writes stopped:
            // the usual way from here on (the file's end is no longer
            // where a page starts).
            self.stop_direct();
            self.file.write_all(data)?;
            self.written += data.len() as u64;
        }
        Ok(())
    }

    /// Writes `self.raw[range]` directly; returns how many bytes went.
    /// Stops direct writing when the system refuses one (what is left is
    /// then written the usual way by the caller).
    fn write_direct(&mut self, range: std::ops::Range<usize>) -> io::Result<usize> {
        let mut done = 0;
        while done < range.len() {
            let written = if self.refuses(done) {
                Err(io::Error::from_raw_os_error(libc::EINVAL))
            } else {
                self.file.write(&self.raw[range.start + done..range.end])
            };
            match written {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_invalid(&e) => {
                    self.stop_direct();
                    break;
                }
                Err(e) => return Err(e),
            }
            if done % ALIGN != 0 {
                // A short write: the rest would not start on a page.
                self.stop_direct();
                break;
            }
        }
        Ok(done)
    }

    #[cfg(test)]
    fn refuses(&self, done: usize) -> bool {
        self.refuse_after
            .is_some_and(|n| self.direct_bytes + done as u64 >= n)
    }

    #[cfg(not(test))]
    fn refuses(&self, _: usize) -> bool {
        false
    }

    fn stop_direct(&mut self) {
        if self.direct {
            set_direct(&self.file, false);
            self.direct = false;
        }
    }

    /// The file, back to the usual writes.
    pub fn finish(mut self) -> File {
        self.stop_direct();
        self.file
    }
}

#[cfg(target_os = "linux")]
fn is_invalid(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::EINVAL)
}

/// Turns direct writes on or off; false if the system refuses.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> bool {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is the open descriptor `file` owns; F_GETFL and F_SETFL
    // read and set its status flags and touch no memory.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return false;
        }
        let flags = if on {
            flags | libc::O_DIRECT
        } else {
            flags & !libc::O_DIRECT
        };
        libc::fcntl(fd, libc::F_SETFL, flags) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn is_invalid(_: &io::Error) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
fn set_direct(_: &File, _: bool) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that differ from page to page and within one.
    fn bytes(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn what_is_written_directly_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        let data = bytes(5 * ALIGN * 16 + 123, 7);
        // Whole pages, part pages, and writes larger than the buffer.
        let cuts = [
            ALIGN * 3,
            ALIGN * 16,
            ALIGN * 16 + ALIGN * 8,
            ALIGN * 64,
            ALIGN * 65 + 10,
        ];
        let mut sink = Sink::new(File::create(&path).unwrap(), ALIGN as u64 * 2, ALIGN * 8);
        let mut at = 0;
        for cut in cuts.into_iter().chain([data.len()]) {
            sink.write_all(&data[at..cut]).unwrap();
            at = cut;
        }
        let direct = sink.direct_bytes;
        let mut file = sink.finish();
        file.flush().unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), data);
        // Direct from the first whole page past 2 pages up to the part
        // page at 65 pages and 10 bytes, where the file system takes it.
        if set_direct(&File::open(dir.path().join("report.json")).unwrap(), true) {
            assert_eq!(direct, (ALIGN * 65 - ALIGN * 3) as u64);
        }
    }

    #[test]
    fn a_direct_write_refused_is_written_the_usual_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refused.json");
        let data = bytes(ALIGN * 40 + 77, 5);
        let mut sink = Sink::new(File::create(&path).unwrap(), 0, ALIGN * 8);
        // Writes of 20 pages go 8 at a time: the third write, past 11
        // pages, is refused; the rest of the 20 goes the usual way.
        sink.refuse_after = Some(ALIGN as u64 * 11);
        for piece in data.chunks(ALIGN * 20) {
            sink.write_all(piece).unwrap();
        }
        let direct = sink.direct_bytes;
        drop(sink.finish());
        assert_eq!(std::fs::read(&path).unwrap(), data);
        if set_direct(&File::open(&path).unwrap(), true) {
            assert_eq!(direct, ALIGN as u64 * 16);
        }
    }

    #[test]
    fn a_small_report_is_written_the_usual_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.json");
        let data = bytes(ALIGN * 3, 3);
        let mut sink = Sink::new(File::create(&path).unwrap(), ALIGN as u64 * 4, ALIGN);
        sink.write_all(&data).unwrap();
        assert_eq!(sink.direct_bytes, 0);
        drop(sink.finish());
        assert_eq!(std::fs::read(&path).unwrap(), data);
    }
}
