# Regenerate: cd charts && gnuplot sweep-size-core-tp_btf.gp
if (!exists("outfile")) outfile = "sweep-size-core-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set terminal pngcairo size 1500,1050 font "sans,9" noenhanced
set output outfile
set multiplot layout 3,4 title "size axis (tp_btf, CO-RE reads): each metric against 1 + handler-size units (log-log), one line per variant"
set key off
set grid
set logscale xy
set format y "%.0s%c"
set xlabel "1 + handler-size units"
set title "ELF code (bytes)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:2 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:2 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:2 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:2 with linespoints lt 4 pt 4 title "linked"
set title "loaded insns"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:3 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:3 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:3 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:3 with linespoints lt 4 pt 4 title "linked"
set title "verified insns"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:4 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:4 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:4 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:4 with linespoints lt 4 pt 4 title "linked"
set title "total states"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:5 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:5 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:5 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:5 with linespoints lt 4 pt 4 title "linked"
set title "peak states"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:6 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:6 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:6 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:6 with linespoints lt 4 pt 4 title "linked"
set title "verify time (us)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:7 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:7 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:7 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:7 with linespoints lt 4 pt 4 title "linked"
set title "stack (bytes)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:8 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:8 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:8 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:8 with linespoints lt 4 pt 4 title "linked"
set title "xlated (bytes)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:9 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:9 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:9 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:9 with linespoints lt 4 pt 4 title "linked"
set title "JIT (bytes)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:10 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:10 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:10 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:10 with linespoints lt 4 pt 4 title "linked"
set title "JIT funcs"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:11 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:11 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:11 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:11 with linespoints lt 4 pt 4 title "linked"
set title "memlock (bytes)"
plot "sweep-size-core-tp_btf.dat" index 0 using 1:12 with linespoints lt 1 pt 1 title "inline", \
     "sweep-size-core-tp_btf.dat" index 1 using 1:12 with linespoints lt 2 pt 2 title "noinline", \
     "sweep-size-core-tp_btf.dat" index 2 using 1:12 with linespoints lt 3 pt 3 title "global", \
     "sweep-size-core-tp_btf.dat" index 3 using 1:12 with linespoints lt 4 pt 4 title "linked"
unset logscale
unset border
unset tics
unset xlabel
unset title
set key center center vertical
set yrange [0:1]
plot NaN with linespoints lt 1 pt 1 title "inline", NaN with linespoints lt 2 pt 2 title "noinline", NaN with linespoints lt 3 pt 3 title "global", NaN with linespoints lt 4 pt 4 title "linked"
unset multiplot
