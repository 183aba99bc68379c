# Regenerate: cd charts && gnuplot sweep-bpf_loop-core-tp_btf.gp
if (!exists("outfile")) outfile = "sweep-bpf_loop-core-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set terminal pngcairo size 1500,1050 font "sans,9" noenhanced
set output outfile
set multiplot layout 3,4 title "bpf_loop axis (tp_btf, CO-RE reads): each metric against bpf_loop iterations (log-log), one line per variant"
set key off
set grid
set logscale xy
set format y "%.0s%c"
set xlabel "bpf_loop iterations"
set title "ELF code (bytes)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "loaded insns"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "verified insns"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "total states"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "peak states"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "verify time (us)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "stack (bytes)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "xlated (bytes)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "JIT (bytes)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "JIT funcs"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
set title "memlock (bytes)"
unset logscale
set label 1 "no data" at graph 0.5,0.5 center
plot [0:1][0:1] NaN notitle
unset label 1
set logscale xy
unset logscale
unset border
unset tics
unset xlabel
unset title
set key center center vertical
set yrange [0:1]
plot NaN with linespoints lt 1 pt 1 title "inline", NaN with linespoints lt 2 pt 2 title "noinline", NaN with linespoints lt 3 pt 3 title "global", NaN with linespoints lt 4 pt 4 title "linked"
unset multiplot
